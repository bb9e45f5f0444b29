import {
  type ValidationArguments,
  type ValidatorOptions,
  getMetadataStorage,
  type MetadataStorage,
  ValidationTypes,
} from 'class-validator';

type Validate = (value: unknown, args: ValidationArguments) => unknown;

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  /** IS_DEFINED first, then the custom validations, each with its validators resolved once */
  checks: {
    validateIf?: (object: object, value: unknown) => boolean;
    constraints: unknown[];
    each: boolean;
    validators: Validate[];
  }[];
  nested: boolean;
  /** an async constraint: class-validator decides */
  async: boolean;
}

/** Per class: what class-validator would look up on every call, resolved once. */
type ClassPlan = { targetName: string; known: Set<string>; properties: PropertyPlan[] } | null;

/**
 * A fast accept path compiled from the same class-validator decorators: `isValid(object)` is true
 * only when class-validator would report no error for it under the global pipe's options
 * (whitelist, forbidNonWhitelisted, forbidUnknownValues; no groups, no skipping). Anything else
 * (an error, an async or promise-valued check, an option it does not mirror) answers false, and
 * the caller runs class-validator itself, which builds the messages. The work it saves is
 * class-validator's per call metadata lookups, grouping and error objects (the profile's 13% of the
 * api under D1); it mirrors ValidationExecutor (class-validator 0.15) and a property test holds it
 * to class-validator's verdicts.
 */
export class CompiledValidation {
  private readonly plans = new Map<Function, ClassPlan>();

  constructor(private readonly storage: MetadataStorage = getMetadataStorage()) {}

  /** Whether it can stand in for class-validator under these options. */
  static mirrors(options: ValidatorOptions): boolean {
    return (
      options.whitelist === true &&
      options.forbidNonWhitelisted === true &&
      options.forbidUnknownValues !== false &&
      !options.groups?.length &&
      !options.always &&
      !options.strictGroups &&
      !options.skipMissingProperties &&
      !options.skipNullProperties &&
      !options.skipUndefinedProperties &&
      !options.stopAtFirstError
    );
  }

  isValid(object: object): boolean {
    try {
      return this.validObject(object);
    } catch {
      return false;
    }
  }

  private plan(target: Function): ClassPlan {
    let plan = this.plans.get(target);
    if (plan === undefined) {
      const metadatas = this.storage.getTargetValidationMetadatas(target, undefined as never, false, false);
      const grouped = this.storage.groupByPropertyName(metadatas);
      plan = metadatas.length
        ? {
            targetName: target.name,
            known: new Set(Object.keys(grouped).filter((p) => grouped[p].length)),
            properties: Object.entries(grouped).map(([name, all]) => {
              const of = (type: string) => all.filter((m) => m.type === type);
              const checks = [...of(ValidationTypes.IS_DEFINED), ...of(ValidationTypes.CUSTOM_VALIDATION)];
              const constraintsOf = (m: (typeof checks)[number]) =>
                this.storage.getTargetValidatorConstraints(m.constraintCls);
              return {
                name,
                conditions: of(ValidationTypes.CONDITIONAL_VALIDATION).map(
                  (m) => m.constraints[0] as (object: object, value: unknown) => boolean,
                ),
                checks: checks.map((m) => ({
                  validateIf: m.validateIf,
                  constraints: m.constraints,
                  each: m.each === true,
                  validators: constraintsOf(m).map((c) => c.instance.validate.bind(c.instance) as Validate),
                })),
                nested: all.some(
                  (m) =>
                    m.type === ValidationTypes.NESTED_VALIDATION ||
                    m.type === ValidationTypes.PROMISE_VALIDATION,
                ),
                async: checks.some((m) => constraintsOf(m).some((c) => c.async)),
              };
            }),
          }
        : null;
      this.plans.set(target, plan);
    }
    return plan;
  }

  private validObject(object: object): boolean {
    const plan = this.plan(object.constructor);
    if (!plan) {
      return false; // forbidUnknownValues: a class with no rules
    }
    for (const key of Object.keys(object)) {
      if (!plan.known.has(key)) {
        return false; // forbidNonWhitelisted
      }
    }
    const record = object as Record<string, unknown>;
    for (const p of plan.properties) {
      if (!this.validProperty(object, plan.targetName, record[p.name], p)) {
        return false;
      }
    }
    return true;
  }

  private validProperty(object: object, targetName: string, value: unknown, p: PropertyPlan): boolean {
    if (p.async || value instanceof Promise) {
      return false;
    }
    for (const condition of p.conditions) {
      if (!condition(object, value)) {
        return true; // e.g. IsOptional with no value: nothing else is checked
      }
    }
    // one arguments object per property, its constraints set per check (validators read it at once)
    const args: ValidationArguments = { targetName, property: p.name, object, value, constraints: [] };
    const collection = Array.isArray(value) || value instanceof Set || value instanceof Map;
    for (const check of p.checks) {
      if (check.validateIf && !check.validateIf(object, value)) {
        continue;
      }
      args.constraints = check.constraints;
      for (const validate of check.validators) {
        if (check.each && collection) {
          for (const v of value instanceof Map ? value.values() : (value as Iterable<unknown>)) {
            if (validate(v, args) !== true) {
              return false;
            }
          }
        } else if (validate(value, args) !== true) {
          return false; // false, or a promise: class-validator decides
        }
      }
    }
    return !p.nested || value === undefined || this.validNested(value);
  }

  /** ValidateNested: an object of a class with rules, or a collection of them (at any depth). */
  private validNested(value: unknown): boolean {
    if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
      for (const item of value instanceof Map ? value.values() : value) {
        if (!this.validNested(item)) {
          return false;
        }
      }
      return true;
    }
    return value instanceof Object && !(value instanceof Promise) && this.validObject(value);
  }
}
