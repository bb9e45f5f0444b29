// Small shared pieces for the case and intelligence screens: loading with an error, a form that
// keeps what was typed when the api refuses it, images fetched with the bearer token, saved files.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../api/client';
import { sha256Hex } from '../offline/db';
import { ErrorSummary } from './fields';

/** GET a path; `reload()` fetches again. The error is kept beside the last good data. */
export function useLoad<T>(path: string | null): {
  data: T | null;
  error: string | null;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
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
        }
      },
      (err: unknown) => {
        if (live) {
          setError(describeError(err));
        }
      },
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const go = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems({});
    setDone(null);
    try {
      await submit();
      setDone('Done.');
      onDone?.();
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError) {
        setProblems(err.fieldProblems());
      }
    } finally {
      setBusy(false);
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
            {done}
          </span>
        )}
      </div>
    </form>
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

/**
 * A subject image from /subject-images/{id}/view (bearer token, logged as consulted), shown as a
 * data: URL (the page's CSP allows img-src data: but not blob:). Kept in memory only.
 */
export function SubjectPhoto({ imageId, alt }: { imageId: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .download('GET', `/subject-images/${imageId}/view`)
      .then(
        ({ blob }) =>
          new Promise<string>((resolve, reject) => {
            const r = new FileReader();
            r.onload = () => resolve(String(r.result));
            r.onerror = () => reject(r.error);
            r.readAsDataURL(blob);
          }),
      )
      .then(
        (url) => live && setSrc(url),
        () => live && setFailed(true),
      );
    return () => {
      live = false;
    };
  }, [imageId]);
  if (failed) {
    return <span class="photo missing">Image could not be shown</span>;
  }
  return src ? <img class="photo" src={src} alt={alt} /> : <span class="photo loading" aria-busy="true" />;
}

export const shortId = (id: string) => id.slice(0, 8);
