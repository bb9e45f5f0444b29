// Form controls with their label, hint and error wired together for screen readers.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let counter = 0;
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}-${(counter += 1)}`;

interface Base {
  id: string;
  label: string;
  hint?: string;
  error?: string;
}

function Describe({ id, hint, error }: Pick<Base, 'id' | 'hint' | 'error'>) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
    </>
  );
}

const describedBy = ({ id, hint, error }: Pick<Base, 'id' | 'hint' | 'error'>) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

/** The label, hint and error around one control, and the attributes that tie them to it. */
function Labelled(props: Base & { required?: boolean; inline?: boolean; children: ComponentChildren }) {
  return (
    <div class={`field${props.inline ? ' inline' : ''}${props.error ? ' has-error' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </label>
      <Describe {...props} />
      {props.children}
    </div>
  );
}

const controlProps = (props: Base & { required?: boolean }) => ({
  id: props.id,
  name: props.id,
  required: props.required,
  'aria-invalid': props.error ? ('true' as const) : undefined,
  'aria-describedby': describedBy(props),
});

export function TextField(
  props: Base & {
    value: string;
    onInput: (v: string) => void;
    type?: string;
    autocomplete?: string;
    required?: boolean;
    inputMode?: 'text' | 'decimal' | 'numeric' | 'email';
    max?: string;
  },
) {
  return (
    <Labelled {...props}>
      <input
        {...controlProps(props)}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        max={props.max}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </Labelled>
  );
}

export function TextArea(props: Base & { value: string; onInput: (v: string) => void; rows?: number; required?: boolean }) {
  return (
    <Labelled {...props}>
      <textarea
        {...controlProps(props)}
        rows={props.rows ?? 4}
        value={props.value}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </Labelled>
  );
}

/** A drop-down of [value, label] options. */
export function Select<V extends string>(
  props: Base & {
    value: V;
    options: readonly (readonly [V, string])[];
    onChange: (v: V) => void;
    inline?: boolean;
    disabled?: boolean;
  },
) {
  return (
    <Labelled {...props}>
      <select
        {...controlProps(props)}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as V)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

/** Big toggle buttons: several (checkboxes) or one (radios), in a fieldset with a legend. */
export function Choices(
  props: Base & {
    options: [string, string][];
    selected: string[];
    multiple?: boolean;
    onChange: (v: string[]) => void;
    required?: boolean;
  },
) {
  const toggle = (value: string, checked: boolean) => {
    if (!props.multiple) {
      props.onChange([value]);
    } else {
      props.onChange(checked ? [...props.selected, value] : props.selected.filter((s) => s !== value));
    }
  };
  return (
    <fieldset
      class={`field choices${props.error ? ' has-error' : ''}`}
      id={props.id}
      aria-describedby={describedBy(props)}
      tabIndex={-1}
    >
      <legend>
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </legend>
      <Describe {...props} />
      <div class="chips">
        {props.options.map(([value, label]) => (
          <label class={`chip${props.selected.includes(value) ? ' on' : ''}`} key={value}>
            <input
              type={props.multiple ? 'checkbox' : 'radio'}
              name={props.id}
              value={value}
              checked={props.selected.includes(value)}
              onChange={(e) => toggle(value, (e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Check(props: Base & { checked: boolean; onChange: (v: boolean) => void; children?: ComponentChildren }) {
  return (
    <div class={`field check${props.error ? ' has-error' : ''}`}>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={props.id}>
        {props.label}
        {props.children}
      </label>
      <Describe {...props} />
    </div>
  );
}

/** Several checkboxes in a fieldset, each [value, label], choosing a set of values. */
export function CheckGroup(props: {
  id: string;
  legend: string;
  options: [string, string][];
  selected: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset class={`field${props.error ? ' has-error' : ''}`} id={props.id}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <Check
          key={value}
          id={`${props.id}-${value}`}
          label={label}
          checked={props.selected.includes(value)}
          onChange={(on) =>
            props.onChange(on ? [...props.selected, value] : props.selected.filter((x) => x !== value))
          }
        />
      ))}
    </fieldset>
  );
}

/** A list of what is wrong, focused so it is read out, linking to each field. */
export function ErrorSummary({ message, errors, labels }: { message?: string | null; errors: Record<string, string>; labels?: Record<string, string> }) {
  const entries = Object.entries(errors);
  const box = useRef<HTMLDivElement>(null);
  const signature = `${message ?? ''}|${entries.map(([k]) => k).join(',')}`;
  // focus once per new set of errors, never while the user is typing a correction
  useEffect(() => {
    box.current?.focus();
  }, [signature]);
  if (!message && !entries.length) {
    return null;
  }
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={box}>
      <h2>{message ?? 'Please check the form'}</h2>
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, problem]) => (
            <li key={field}>
              <a href={`#${labels?.[field] ?? ''}`} onClick={(e) => focusField(e, labels?.[field])}>
                {problem}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function focusField(e: Event, id?: string) {
  e.preventDefault();
  if (id) {
    const el = document.getElementById(id);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }
}

/** A feature whose api has not landed yet. */
export function NotAvailable({ what, children }: { what: string; children?: ComponentChildren }) {
  return (
    <div class="not-available" role="note">
      <strong>{what}: not available yet.</strong> {children ?? 'This part of the hub is still being built.'}
    </div>
  );
}
