import type { ComponentChildren } from 'preact';

/** A tab list and the current tab's panel; `prefix` keeps ids unique when two tab sets share a page. */
export function Tabs<T extends string>({
  label,
  prefix,
  tabs,
  current,
  onChange,
  children,
}: {
  label: string;
  prefix: string;
  tabs: readonly (readonly [T, string])[];
  current: T;
  onChange: (tab: T) => void;
  children: ComponentChildren;
}) {
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label}>
        {tabs.map(([id, text]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`${prefix}tab-${id}`}
            aria-selected={current === id}
            aria-controls={`${prefix}panel-${id}`}
            class={current === id ? 'tab on' : 'tab'}
            onClick={() => onChange(id)}
          >
            {text}
          </button>
        ))}
      </div>
      <section id={`${prefix}panel-${current}`} role="tabpanel" aria-labelledby={`${prefix}tab-${current}`}>
        {children}
      </section>
    </>
  );
}
