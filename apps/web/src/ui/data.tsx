// Small shared pieces for the case and intelligence screens: loading with an error, a form that
// keeps what was typed when the api refuses it, subject photos, saved files.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../api/client';
import { sha256Hex } from '../offline/db';
import { ApiImage } from './api-image';
import { ErrorSummary } from './fields';

/**
 * GET a path; `reload()` fetches again. The error is kept beside the last good data; `missing` says
 * the api knows nothing at that path (an address naming an object that is not there).
 */
export function useLoad<T>(path: string | null): {
  data: T | null;
  error: string | null;
  missing: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) {
      setData(null);
      return;
    }
    let live = true;
    api.get<T>(path).then(
      (d) => {
        if (live) {
          setData(d);
          setError(null);
          setMissing(false);
        }
      },
      (err: unknown) => {
        if (live) {
          setError(describeError(err));
          setMissing(err instanceof ApiError && err.status === 404);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, missing, reload };
}

/** Until an object opened by its address is here: loading, a clear "not found", or the api's error. */
export function NotLoaded({
  load,
  what,
  listHref,
}: {
  load: { error: string | null; missing: boolean };
  what: string;
  listHref: string;
}) {
  if (load.missing) {
    return (
      <div class="notice" role="alert" data-testid="not-found">
        <p>No {what} was found at this address. It may have been removed, or the link may be wrong.</p>
        <a href={listHref}>Back to the list</a>
      </div>
    );
  }
  return load.error ? (
    <p class="field-error" role="alert">
      {load.error}
    </p>
  ) : (
    <p aria-busy="true">Loading…</p>
  );
}

/**
 * Runs a submit: busy while it runs, the api's message and per-field problems kept on failure.
 * `run` resolves true on success.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setProblems({});
    try {
      await work();
      return true;
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError) {
        setProblems(err.fieldProblems());
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  /** A problem found before anything is sent. */
  const refuse = (found: Record<string, string>) => {
    setError(null);
    setProblems(found);
  };
  return { busy, error, problems, run, refuse };
}

/**
 * A form's text values by name; `field(name, problems)` gives a TextField or TextArea its value,
 * its change handler and the api's problem for that name (or for `problemKey`).
 */
export function useFormValues<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const field = (name: keyof T & string, problems?: Record<string, string>, problemKey: string = name) => ({
    value: values[name],
    onInput: (v: string) => setValues((prev) => ({ ...prev, [name]: v })),
    error: problems?.[problemKey],
  });
  /** Back to the initial values, only for the names given. */
  const clear = (...names: (keyof T)[]) =>
    setValues((prev) => ({ ...prev, ...Object.fromEntries(names.map((n) => [n, initial[n]])) }));
  return { values, field, clear };
}

/**
 * A form whose submit calls the api. On failure the message and the api's per-field problems are
 * shown and nothing typed is cleared; `onDone` runs only on success (the caller resets its fields).
 */
export function ApiForm({
  label,
  submit,
  submitText,
  busyText,
  onDone,
  children,
  fieldIds,
  testId,
}: {
  label: string;
  submit: () => Promise<unknown>;
  submitText: string;
  busyText?: string;
  onDone?: () => void;
  children: (problems: Record<string, string>) => ComponentChildren;
  fieldIds?: Record<string, string>;
  testId?: string;
}) {
  const { busy, error, problems, run } = useSubmit();
  const [done, setDone] = useState(false);
  const go = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (await run(submit)) {
      setDone(true);
      onDone?.();
    }
  };
  return (
    <form class="api-form" aria-label={label} onSubmit={(e) => void go(e)} noValidate data-testid={testId}>
      <ErrorSummary message={error} errors={problems} labels={fieldIds} />
      {children(problems)}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? (busyText ?? 'Saving…') : submitText}
        </button>
        {done && !error && (
          <span role="status" class="ok-text">
            Done.
          </span>
        )}
      </div>
    </form>
  );
}

/** A button-only ApiForm: one action on an object, nothing to fill in. */
export function ActionButton(props: {
  label: string;
  text: string;
  submit: () => Promise<unknown>;
  onDone: () => void;
  fieldIds?: Record<string, string>;
}) {
  return (
    <ApiForm
      label={props.label}
      submitText={props.text}
      submit={props.submit}
      onDone={props.onDone}
      fieldIds={props.fieldIds}
    >
      {() => null}
    </ApiForm>
  );
}

/** What a list load says besides its rows: its error, or (given `empty`) that it is empty. */
export function LoadStatus({
  load,
  empty,
  alert,
}: {
  load: { data: { items: unknown[] } | null; error: string | null };
  empty?: string;
  alert?: boolean;
}) {
  return (
    <>
      {load.error && (
        <p class="field-error" role={alert ? 'alert' : undefined}>
          {load.error}
        </p>
      )}
      {empty && load.data && !load.data.items.length && <p class="empty">{empty}</p>}
    </>
  );
}

/** The raw file upload the api takes for images and proofs: body as is, SHA-256 in a header. */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const sha = await sha256Hex(file);
  return api.request<T>('POST', path, {
    raw: file,
    headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': sha },
  });
}

/**
 * A button that fetches a printable PDF (a notice letter, a briefing sheet) and saves it. The api
 * records the download in the access log, so `hint` says so beside the button.
 */
export function PdfButton({
  label,
  text,
  path,
  hint,
}: {
  label: string;
  text: string;
  path: string;
  hint: string;
}) {
  return (
    <ApiForm
      label={label}
      submitText={text}
      busyText="Preparing…"
      submit={async () => {
        const file = await api.download('GET', path);
        saveBlob(file.blob, file.filename);
      }}
    >
      {() => <p class="hint">{hint}</p>}
    </ApiForm>
  );
}

/** Saves a blob as a file on the device (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A subject image from /subject-images/{id}/view (bearer token, logged as consulted). */
export function SubjectPhoto({ imageId, alt }: { imageId: string; alt: string }) {
  return <ApiImage path={`/subject-images/${imageId}/view`} alt={alt} />;
}

export const shortId = (id: string) => id.slice(0, 8);

/** Uploads one chosen file to `path` (images, proofs of service). */
export function FileUploadForm(props: {
  label: string;
  submitText: string;
  path: string;
  inputId: string;
  inputLabel: string;
  accept: string;
  /** Said when submitted with no file chosen. */
  noFile: string;
  onDone: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  return (
    <ApiForm
      label={props.label}
      submitText={props.submitText}
      busyText="Uploading…"
      submit={() => (file ? uploadFile(props.path, file) : Promise.reject(new Error(props.noFile)))}
      onDone={props.onDone}
    >
      {() => (
        <div class="field">
          <label for={props.inputId}>{props.inputLabel}</label>
          <input
            id={props.inputId}
            type="file"
            accept={props.accept}
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
      )}
    </ApiForm>
  );
}

/** `{ [name]: trimmed value }`, or nothing when blank: how the api takes optional text. */
export const optionalText = (name: string, value: string) => (value.trim() ? { [name]: value.trim() } : {});

/** A wide table that scrolls sideways on a phone: focusable and named, so a keyboard can scroll it. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
