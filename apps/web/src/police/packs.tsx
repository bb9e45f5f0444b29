// A case's evidence pack: build it, follow the build, download it as a recorded disclosure.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api/client';
import type { EvidencePack, PoliceCase } from '../api/types';
import { ApiForm, saveBlob, useFormValues, useLoad } from '../ui/data';
import { TextField } from '../ui/fields';
import { when } from '../ui/labels';

const PACK_STATUS: Record<string, string> = {
  queued: 'Waiting to build',
  building: 'Building',
  ready: 'Ready to download',
  failed: 'Failed',
  expired: 'Expired',
};

export function Packs({ c }: { c: PoliceCase }) {
  const list = useLoad<{ items: EvidencePack[] }>(`/cases/${c.id}/packs`);
  const [pack, setPack] = useState<EvidencePack | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = pack ?? list.data?.items[0] ?? null;
  const building = latest && (latest.status === 'queued' || latest.status === 'building');
  // poll the build while it runs, keyed on the pack (not the answer): a failed poll (a network
  // blip, a token refresh) used to end the chain of timeouts and leave "Building" on screen after
  // the pack was ready; now it says so and tries again until the pack settles
  const buildingId = building ? latest.id : null;
  useEffect(() => {
    if (!buildingId) {
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = () => {
      timer = setTimeout(() => {
        api.get<EvidencePack>(`/packs/${buildingId}`).then(
          (p) => {
            if (live) {
              setError(null);
              setPack(p);
              if (p.status === 'queued' || p.status === 'building') {
                poll();
              }
            }
          },
          (err: unknown) => {
            if (live) {
              setError(`${describeError(err)} (trying again)`);
              poll();
            }
          },
        );
      }, 700);
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [buildingId]);

  const build = async () => {
    setError(null);
    try {
      setPack(await api.post<EvidencePack>(`/cases/${c.id}/packs`));
    } catch (err) {
      setError(describeError(err));
    }
  };
  // never past 100%, whatever the worker reports
  const pct =
    latest && latest.progress.total > 0
      ? Math.min(100, Math.round((latest.progress.done / latest.progress.total) * 100))
      : 0;
  return (
    <div class="packs">
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {latest && (
        <div class="pack" data-testid="pack" data-status={latest.status}>
          <p role="status" aria-live="polite">
            <strong>{PACK_STATUS[latest.status] ?? latest.status}</strong>
            {latest.progress.stage && building && ` · ${latest.progress.stage}`}
            {latest.status === 'ready' &&
              latest.sizeBytes !== null &&
              ` · ${latest.fileCount ?? 0} files, ${(latest.sizeBytes / 1024).toFixed(0)} KB`}
            {latest.error && ` · ${latest.error}`}
          </p>
          {building && (
            <progress max={100} value={pct} aria-label="Pack build progress">
              {pct}%
            </progress>
          )}
          {latest.status === 'ready' && (
            <>
              {latest.sha256 && <p class="meta hash">SHA-256 {latest.sha256}</p>}
              {latest.expiresAt && <p class="meta">Available until {when(latest.expiresAt)}</p>}
              <DownloadForm pack={latest} />
            </>
          )}
        </div>
      )}
      {!building && (
        <button type="button" class={latest ? 'secondary' : 'primary'} onClick={() => void build()}>
          {latest ? 'Build a new pack' : 'Build the evidence pack'}
        </button>
      )}
    </div>
  );
}

function DownloadForm({ pack }: { pack: EvidencePack }) {
  const text = useFormValues({ recipient: '', purpose: '' });
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <ApiForm
        label="Download the pack"
        submitText="Download"
        busyText="Downloading…"
        fieldIds={{ recipient: 'dl-recipient', purpose: 'dl-purpose' }}
        submit={async () => {
          const recipient = text.values.recipient.trim();
          const file = await api.download('POST', `/packs/${pack.id}/download`, {
            recipient,
            purpose: text.values.purpose.trim(),
          });
          saveBlob(file.blob, file.filename);
          setSaved(
            `Saved ${file.filename} (${(file.blob.size / 1024).toFixed(0)} KB). The download is recorded as a disclosure to ${recipient}.`,
          );
        }}
      >
        {(p) => (
          <>
            <p class="hint">
              Every download is recorded in the access log as a disclosure, with who receives it and why.
            </p>
            <TextField
              id="dl-recipient"
              label="Recipient"
              hint="For example: CPS, reviewing lawyer A. Khan"
              {...text.field('recipient', p)}
              required
            />
            <TextField id="dl-purpose" label="Purpose" {...text.field('purpose', p)} required />
          </>
        )}
      </ApiForm>
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
    </>
  );
}
