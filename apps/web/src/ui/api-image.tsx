// Images the api serves only with the bearer token (evidence, subject photos): fetched, then shown
// as data: URLs, because the page's CSP allows img-src data: but not blob:. Held in memory only,
// never in a cache (the api answers no-store).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';

export type ApiImageState =
  | { kind: 'loading' }
  | { kind: 'shown'; src: string }
  /** the api has no viewing copy for this file (409), or it failed to load */
  | { kind: 'failed'; noCopy: boolean };

function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

/** GETs an image path with the session's token; null skips (nothing to fetch). */
export function useApiImage(path: string | null): ApiImageState {
  const [state, setState] = useState<ApiImageState>({ kind: 'loading' });
  useEffect(() => {
    if (!path) {
      return;
    }
    let live = true;
    setState({ kind: 'loading' });
    api
      .download('GET', path)
      .then(({ blob }) => toDataUrl(blob))
      .then(
        (src) => live && setState({ kind: 'shown', src }),
        (err: unknown) =>
          live && setState({ kind: 'failed', noCopy: err instanceof ApiError && err.status === 409 }),
      );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

/** One image from the api, or a plain-words placeholder while it loads or when it cannot be shown. */
export function ApiImage({ path, alt, class: cls = 'photo' }: { path: string; alt: string; class?: string }) {
  const state = useApiImage(path);
  if (state.kind === 'failed') {
    return (
      <span class={`${cls} missing`} role="img" aria-label={alt}>
        {state.noCopy ? 'No viewing copy' : 'Image could not be shown'}
      </span>
    );
  }
  return state.kind === 'shown' ? (
    <img class={cls} src={state.src} alt={alt} />
  ) : (
    <span class={`${cls} loading`} aria-busy="true" />
  );
}
