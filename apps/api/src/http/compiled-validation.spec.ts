import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, type MetadataStorage, validate, type ValidatorOptions } from 'class-validator';
import fc from 'fast-check';
import { CompiledValidation } from '@app/errors';
import { buildIncidentRequest } from '../../../../libs/testing/src/factories/incident.factory';
import { AmendIncidentRequest, CreateIncidentRequest } from '../incidents/dto/incident.dto';

// the global pipe's options (configure-app.ts)
const OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 2001, maxLength: 2100 }),
  fc.constantFrom('theft_shop', 'none', 'staff', '\u202e', 'a\u0000b', '2026-02-30', '', ' '),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant('theft_shop')), { maxLength: 60 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

type Body = Record<string, unknown>;

/** One change to a report body, at the top level or inside one of its lists' items. */
const mutation = fc.record({
  list: fc.constantFrom(null, 'goods', 'offenders', 'witnesses'),
  index: fc.nat(2),
  op: fc.constantFrom('set', 'delete', 'unknown'),
  key: fc.constantFrom(
    ...Object.keys(buildIncidentRequest()),
    'description',
    'quantity',
    'unitPricePence',
    'recoveredQuantity',
    'sku',
    'name',
    'kind',
    'contact',
    'exactWords',
    'height',
  ),
  value: junk,
});

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(body: Body, changes: Mutation[]): Body {
  for (const c of changes) {
    const items = c.list ? (body[c.list] as Body[] | undefined) : undefined;
    const into = c.list
      ? Array.isArray(items)
        ? items[c.index % Math.max(1, items.length)]
        : undefined
      : body;
    if (!into || typeof into !== 'object') {
      continue;
    }
    if (c.op === 'delete') {
      delete into[c.key];
    } else {
      into[c.op === 'unknown' ? `${c.key}X` : c.key] = c.value;
    }
  }
  return body;
}

/** Holds the compiled validator to class-validator: it may decline a valid body, never accept an invalid one. */
function soundOver(compiled: CompiledValidation, runs: number) {
  return fc.check(
    fc.asyncProperty(
      fc.constantFrom(CreateIncidentRequest, AmendIncidentRequest),
      fc.array(mutation, { maxLength: 3 }),
      async (dto, changes) => {
        const base =
          dto === CreateIncidentRequest ? buildIncidentRequest() : { version: 1, ...buildIncidentRequest() };
        const instance = plainToInstance(dto as new () => object, mutate(base, changes));
        if (compiled.isValid(instance)) {
          expect(await validate(instance, OPTIONS)).toEqual([]);
        }
      },
    ),
    { numRuns: runs, seed: 20261206 },
  );
}

describe('CompiledValidation', () => {
  const compiled = new CompiledValidation();

  it('accepts a complete report as class-validator does', async () => {
    const instance = plainToInstance(CreateIncidentRequest, buildIncidentRequest());
    expect(await validate(instance, OPTIONS)).toEqual([]);
    expect(compiled.isValid(instance)).toBe(true);
  });

  it('never accepts what class-validator refuses (random changes to reports and amendments)', async () => {
    const result = await soundOver(compiled, 3000);
    expect(result.failed ? fc.defaultReportMessage(result) : 'sound').toBe('sound');
  });

  it('accepts most valid variations itself (the fast path is taken)', async () => {
    let valid = 0;
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 2 }), async (changes) => {
        const instance = plainToInstance(CreateIncidentRequest, mutate(buildIncidentRequest(), changes));
        if ((await validate(instance, OPTIONS)).length === 0) {
          valid += 1;
          fast += compiled.isValid(instance) ? 1 : 0;
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
    expect(valid).toBeGreaterThan(50);
    expect(fast).toBe(valid);
  });

  it('stands in only for the options it mirrors', () => {
    expect(CompiledValidation.mirrors(OPTIONS)).toBe(true);
    expect(CompiledValidation.mirrors({ ...OPTIONS, forbidNonWhitelisted: false })).toBe(false);
    expect(CompiledValidation.mirrors({ ...OPTIONS, groups: ['x'] })).toBe(false);
  });

  it('negative control: compiled from metadata without the enum checks, the property test catches it', async () => {
    const real = getMetadataStorage();
    const isEnum = (m: { constraintCls: Function }) =>
      real.getTargetValidatorConstraints(m.constraintCls).some((c) => c.name === 'isEnum');
    const broken = {
      getTargetValidationMetadatas: (...args: Parameters<MetadataStorage['getTargetValidationMetadatas']>) =>
        real.getTargetValidationMetadatas(...args).filter((m) => !m.constraintCls || !isEnum(m)),
      groupByPropertyName: real.groupByPropertyName.bind(real),
      getTargetValidatorConstraints: real.getTargetValidatorConstraints.bind(real),
    } as unknown as MetadataStorage;
    const result = await soundOver(new CompiledValidation(broken), 3000);
    expect(result.failed).toBe(true);
  });
});
