// Incoming radio alerts on the tablet: a banner, a sound (distinct for emergencies) and Acknowledge.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AlertPayload } from '../api/types';
import type { RadioView } from '../radio/radio';
import { describeError } from '../api/client';

const TYPE_TEXT: Record<AlertPayload['type'], string> = {
  offender_sighted: 'Offender sighted',
  assistance_requested: 'Assistance requested',
  all_clear: 'All clear',
  information: 'Information',
};

let audio: AudioContext | null = null;

/** Two short tones; emergencies get three higher, longer ones. No audio file to fetch. */
function beep(emergency: boolean): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    const count = emergency ? 3 : 2;
    for (let i = 0; i < count; i++) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = emergency ? 1046 : 784;
      osc.connect(gain).connect(audio.destination);
      const start = now + i * (emergency ? 0.35 : 0.25);
      gain.gain.setValueAtTime(0.25, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + (emergency ? 0.3 : 0.18));
      osc.start(start);
      osc.stop(start + 0.32);
    }
  } catch {
    // no audio (autoplay refused, no device): the banner still shows
  }
}

const RANK: Record<AlertPayload['priority'], number> = { emergency: 0, high: 1, normal: 2, low: 3 };

/** The most urgent first, then the newest. */
function byUrgency(a: AlertPayload, b: AlertPayload): number {
  return RANK[a.priority] - RANK[b.priority] || Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

/**
 * Unacknowledged alerts as one strip above the report form: the most urgent in full, the rest
 * behind "Show all", and "Acknowledge all", so a busy afternoon never pushes the form off screen.
 */
export function AlertBanner({ view, onAck }: { view: RadioView; onAck: (id: string) => Promise<void> }) {
  const now = Date.now();
  const open = view.alerts
    .filter((a) => !view.acknowledged.has(a.id) && Date.parse(a.expiresAt) > now)
    .sort(byUrgency);
  const heard = useRef(new Set<string>());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [expanded, setExpanded] = useState(false);

  useEffect(() => {
    const fresh = open.filter((a) => !heard.current.has(a.id));
    fresh.forEach((a) => heard.current.add(a.id));
    if (fresh.length) {
      beep(fresh.some((a) => a.priority === 'emergency'));
    }
  }, [open.map((a) => a.id).join()]);

  /** One at a time, so each is kept as acknowledged on the tablet before the next is sent. */
  const acknowledge = async (alerts: AlertPayload[]) => {
    setBusy(true);
    setError(null);
    try {
      for (const a of alerts) {
        await onAck(a.id);
      }
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = expanded ? open : open.slice(0, 1);
  return (
    <div class="alert-area">
      <p class={`radio-state ${view.state}`} data-testid="radio-state">
        <span class="dot" aria-hidden="true" /> Radio: {RADIO_TEXT[view.state]}
      </p>
      {open.length > 0 && (
        <div
          role="alert"
          aria-live="assertive"
          class="alerts"
          data-testid="alert-strip"
          data-count={open.length}
        >
          {shown.map((a) => (
            <div key={a.id} class={`alert-banner ${a.priority}`} data-testid="alert-banner">
              <div>
                <strong>{TYPE_TEXT[a.type]}</strong>
                {a.priority === 'emergency' && <span class="tag">Emergency</span>}
                <span class="meta">
                  {' '}
                  · sent{' '}
                  {new Date(a.createdAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}
                </span>
                <p class="alert-message">{a.message}</p>
              </div>
              <button type="button" class="primary" disabled={busy} onClick={() => void acknowledge([a])}>
                Acknowledge
              </button>
            </div>
          ))}
          {open.length > 1 && (
            <div class="alert-strip-actions">
              <button
                type="button"
                class="secondary small"
                aria-expanded={expanded}
                onClick={() => setExpanded(!expanded)}
              >
                {expanded ? 'Show only the most urgent' : `Show all ${open.length} alerts`}
              </button>
              <button
                type="button"
                class="primary small"
                disabled={busy}
                onClick={() => void acknowledge(open)}
              >
                Acknowledge all {open.length}
              </button>
            </div>
          )}
          {error && <p class="field-error">Could not acknowledge: {error}</p>}
        </div>
      )}
    </div>
  );
}

export const RADIO_TEXT: Record<RadioView['state'], string> = {
  connecting: 'connecting…',
  live: 'live',
  offline: 'offline, reconnecting',
  refused: 'signed out of the radio',
  unavailable: 'not available',
};
