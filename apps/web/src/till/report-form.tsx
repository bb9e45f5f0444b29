// A report in well under a minute: what happened (big buttons), a few words, file. Everything else
// is optional and folded away. Every keystroke is kept in IndexedDB as a draft, with the
// Idempotency-Key made when the draft was started.
import { useEffect, useRef, useState } from 'preact/hooks';
import { idb, sha256Hex, uuid } from '../offline/db';
import type { Outbox } from '../offline/outbox';
import {
  checkForm,
  type Draft,
  emptyImpact,
  emptyStatement,
  type ImpactDraft,
  INCIDENT_TYPES,
  INJURIES,
  newDraft,
  type PhotoDraft,
  type ReportForm as Form,
  S9_DECLARATION,
  type StatementDraft,
  toRequest,
  TRIGGERS,
  WEAPONS,
} from '../offline/report';
import { Check, Choices, ErrorSummary, TextArea, TextField } from '../ui/fields';

const LABEL_IDS: Record<string, string> = {
  types: 'r-types',
  narrative: 'r-narrative',
  crimeReference: 'r-crimeref',
  'statement.witnessName': 's-name',
  'statement.statementText': 's-text',
  'statement.declarationAcknowledged': 's-declaration',
  'statement.signatureName': 's-signature',
  'impact.madeBy': 'i-made-by',
  'impact.text': 'i-text',
};

export function ReportForm({ owner, outbox, onFiled }: { owner: string; outbox: Outbox; onFiled: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<'saved' | 'saving' | null>(null);
  const [filing, setFiling] = useState(false);
  const [filedNote, setFiledNote] = useState<string | null>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // resume the latest draft on this device, or start one (and its idempotency key)
  useEffect(() => {
    void idb.byOwner<Draft>('drafts', owner).then(async (drafts) => {
      const latest = drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
      if (latest) {
        setDraft(latest);
        setFiledNote('Your unfinished report was kept on this tablet.');
      } else {
        const d = newDraft(owner);
        await idb.put('drafts', d);
        setDraft(d);
      }
    });
  }, [owner]);

  const persist = (d: Draft) => {
    setSaved('saving');
    if (saveTimer.current) {
      clearTimeout(saveTimer.current);
    }
    saveTimer.current = setTimeout(() => {
      void idb.put('drafts', d).then(() => setSaved('saved'));
    }, 250);
  };

  if (!draft) {
    return <p aria-busy="true">Opening your report…</p>;
  }
  const form = draft.form;
  const update = (patch: Partial<Form>) => {
    const d = { ...draft, form: { ...form, ...patch }, updatedAt: new Date().toISOString() };
    setDraft(d);
    persist(d);
  };
  /** A written answer's value, change handler and problem. */
  const answer = (name: 'narrative' | 'exactWords') => ({
    value: form[name],
    onInput: (v: string) => update({ [name]: v }),
    error: errors[name],
  });
  const updateDraft = (patch: Partial<Draft>) => {
    const d = { ...draft, ...patch, updatedAt: new Date().toISOString() };
    setDraft(d);
    persist(d);
  };
  const setStatement = (patch: Partial<StatementDraft>) =>
    updateDraft({ statement: { ...(draft.statement ?? emptyStatement()), ...patch } });
  const setImpact = (patch: Partial<ImpactDraft>) => updateDraft({ impact: { ...(draft.impact ?? emptyImpact()), ...patch } });

  const addPhotos = async (files: FileList | null) => {
    if (!files?.length) {
      return;
    }
    setMessage(null);
    try {
      const photos: PhotoDraft[] = [];
      for (const file of Array.from(files)) {
        photos.push({
          id: uuid(),
          name: file.name,
          type: file.type,
          size: file.size,
          sha256: await sha256Hex(file),
          blob: file,
          state: 'queued',
        });
      }
      updateDraft({ photos: [...draft.photos, ...photos] });
    } catch (err) {
      setMessage(err instanceof Error ? err.message : 'Could not read the photo');
    }
  };

  const file = async (e: Event) => {
    e.preventDefault();
    const problems = checkForm(form, draft.statement, draft.impact ?? null);
    setErrors(problems);
    if (Object.keys(problems).length) {
      setMessage('Some answers need a look before this can be filed');
      return;
    }
    setMessage(null);
    setFiling(true);
    try {
      if (saveTimer.current) {
        clearTimeout(saveTimer.current);
      }
      await outbox.enqueue(draft, toRequest(form, new Date()));
      const next = newDraft(owner);
      await idb.put('drafts', next);
      setDraft(next);
      setErrors({});
      setSaved(null);
      setFiledNote(
        navigator.onLine
          ? 'Report filed. It is being sent now.'
          : 'Report filed and saved on this tablet. It will be sent when the connection is back.',
      );
      window.scrollTo({ top: 0 });
      onFiled();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : 'Could not save the report on this tablet');
    } finally {
      setFiling(false);
    }
  };

  const discard = async () => {
    await idb.delete('drafts', draft.key);
    const next = newDraft(owner);
    await idb.put('drafts', next);
    setDraft(next);
    setErrors({});
    setMessage(null);
    setFiledNote(null);
  };

  const st = draft.statement;
  const impact = draft.impact ?? null;
  return (
    <form class="report" onSubmit={(e) => void file(e)} noValidate aria-labelledby="report-title">
      <div class="form-head">
        <h1 id="report-title">Report an incident</h1>
        <span class="saved" aria-live="polite" data-testid="draft-state">
          {saved === 'saving' ? 'Saving draft…' : saved === 'saved' ? 'Draft saved on this tablet' : ''}
        </span>
      </div>
      {filedNote && (
        <p class="notice" role="status">
          {filedNote}
        </p>
      )}
      <ErrorSummary message={message} errors={errors} labels={LABEL_IDS} />

      <Choices
        id="r-types"
        label="What happened?"
        hint="Choose all that apply."
        options={INCIDENT_TYPES}
        selected={form.types}
        multiple
        required
        onChange={(types) => update({ types })}
        error={errors.types}
      />
      <TextArea id="r-narrative" label="What happened, in your own words" hint="Who did what, and what you saw. A few words is enough now; you can add more later." {...answer('narrative')} rows={4} required />
      <TextArea id="r-words" label="Exact words said to you (if any)" hint="Write them as they were said, even if offensive." {...answer('exactWords')} rows={2} />
      <Choices id="r-weapon" label="Weapon" options={WEAPONS} selected={[form.weapon]} onChange={([weapon]) => update({ weapon })} />
      <Choices id="r-injury" label="Was anyone hurt?" options={INJURIES} selected={[form.injury]} onChange={([injury]) => update({ injury })} />

      <details class="more">
        <summary>What set it off?</summary>
        <Choices id="r-triggers" label="Trigger" hint="Choose all that apply." options={TRIGGERS} selected={form.triggers} multiple onChange={(triggers) => update({ triggers })} />
      </details>

      <details class="more">
        <summary>When, the offender and goods</summary>
        <TextField
          id="r-when"
          label="When did it happen?"
          hint="Leave empty for just now."
          type="datetime-local"
          value={form.occurredAt}
          onInput={(occurredAt) => update({ occurredAt })}
        />
        <TextArea id="r-description" label="Offender description" hint="Age, height, build, hair, marks. No ethnicity, religion or health." value={form.description} onInput={(description) => update({ description })} rows={2} />
        <TextField id="r-clothing" label="Clothing" value={form.clothing} onInput={(clothing) => update({ clothing })} />
        <TextField id="r-direction" label="Direction of travel" value={form.directionOfTravel} onInput={(directionOfTravel) => update({ directionOfTravel })} />
        <fieldset class="field">
          <legend>Goods taken or damaged</legend>
          {form.goods.map((g, i) => (
            <div class="goods-row" key={i}>
              <TextField id={`g-desc-${i}`} label="Item" value={g.description} error={errors[`goods.${i}.description`]} onInput={(description) => update({ goods: form.goods.map((x, j) => (j === i ? { ...x, description } : x)) })} />
              <TextField id={`g-qty-${i}`} label="Quantity" inputMode="numeric" value={g.quantity} error={errors[`goods.${i}.quantity`]} onInput={(quantity) => update({ goods: form.goods.map((x, j) => (j === i ? { ...x, quantity } : x)) })} />
              <TextField id={`g-price-${i}`} label="Price each (£)" inputMode="decimal" value={g.price} error={errors[`goods.${i}.unitPricePence`]} onInput={(price) => update({ goods: form.goods.map((x, j) => (j === i ? { ...x, price } : x)) })} />
              <button type="button" class="secondary small" onClick={() => update({ goods: form.goods.filter((_, j) => j !== i) })}>
                Remove item {i + 1}
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => update({ goods: [...form.goods, { description: '', quantity: '1', price: '' }] })}>
            Add an item
          </button>
        </fieldset>
        <TextField id="r-damage" label="Damage to property or stock (£)" hint="For compensation; leave empty if none" inputMode="decimal" value={form.damage ?? ''} error={errors.damageValuePence} onInput={(damage) => update({ damage })} />
      </details>

      <details class="more">
        <summary>Police, CCTV and support</summary>
        <Check id="r-police" label="Reported to the police" checked={form.policeReported} onChange={(policeReported) => update({ policeReported })} />
        {form.policeReported && (
          <TextField id="r-crimeref" label="Crime reference" value={form.crimeReference} error={errors.crimeReference} onInput={(crimeReference) => update({ crimeReference })} />
        )}
        <Check id="r-attended" label="Police attended" checked={form.policeAttended} onChange={(policeAttended) => update({ policeAttended })} />
        <Check id="r-cctv" label="CCTV covers it" checked={form.cctvAvailable} onChange={(cctvAvailable) => update({ cctvAvailable })} />
        {form.cctvAvailable && (
          <TextField id="r-overwrite" label="Date the recorder will overwrite it" type="date" value={form.cctvOverwriteOn} onInput={(cctvOverwriteOn) => update({ cctvOverwriteOn })} />
        )}
        <Check id="r-support" label="Support offered to the colleague involved" checked={form.victimSupportOffered} onChange={(victimSupportOffered) => update({ victimSupportOffered })} />
      </details>

      <details class="more">
        <summary>Photos {draft.photos.length > 0 && `(${draft.photos.length})`}</summary>
        <div class="field">
          <label for="r-photos">Add photos</label>
          <p class="hint" id="r-photos-hint">
            Each photo is fingerprinted (SHA-256) on this tablet before it is kept or sent.
          </p>
          <input id="r-photos" type="file" accept="image/*" capture="environment" multiple aria-describedby="r-photos-hint" onChange={(e) => void addPhotos((e.currentTarget as HTMLInputElement).files)} />
        </div>
        <TextField id="r-producer" label="Your name (for the exhibit label)" value={form.photoProducer ?? ''} onInput={(photoProducer) => update({ photoProducer })} />
        {draft.photos.length > 0 && (
          <ul class="photos">
            {draft.photos.map((p) => (
              <li key={p.id}>
                <span>{p.name}</span> <code title="SHA-256" data-testid="photo-hash">{p.sha256.slice(0, 16)}…</code>
                <button type="button" class="secondary small" onClick={() => updateDraft({ photos: draft.photos.filter((x) => x.id !== p.id) })}>
                  Remove {p.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </details>

      <details class="more" open={!!st}>
        <summary>Witness statement (MG11)</summary>
        {!st ? (
          <button type="button" class="secondary" onClick={() => setStatement({})}>
            Take a witness statement
          </button>
        ) : (
          <div class="statement">
            <TextField id="s-name" label="Witness full name" value={st.witnessName} error={errors['statement.witnessName']} onInput={(witnessName) => setStatement({ witnessName })} />
            <TextField id="s-occupation" label="Occupation" value={st.witnessOccupation} onInput={(witnessOccupation) => setStatement({ witnessOccupation })} />
            <Check id="s-under18" label="The witness is under 18" checked={st.under18} onChange={(under18) => setStatement({ under18 })} />
            {st.under18 && <TextField id="s-age" label="Age" inputMode="numeric" value={st.witnessAge} error={errors['statement.witnessAge']} onInput={(witnessAge) => setStatement({ witnessAge })} />}
            <TextArea id="s-text" label="Statement" hint="First person, the witness’s own words, in time order." value={st.statementText} error={errors['statement.statementText']} onInput={(statementText) => setStatement({ statementText })} rows={6} />
            <blockquote class="declaration" id="s9-text">{S9_DECLARATION}</blockquote>
            <Check id="s-declaration" label="I have read the declaration above and it is true" checked={st.declarationAcknowledged} error={errors['statement.declarationAcknowledged']} onChange={(declarationAcknowledged) => setStatement({ declarationAcknowledged })} />
            <TextField id="s-signature" label="Signature (type your full name)" value={st.signatureName} error={errors['statement.signatureName']} onInput={(signatureName) => setStatement({ signatureName })} />
            <button type="button" class="secondary small" onClick={() => updateDraft({ statement: null })}>
              Remove the statement
            </button>
          </div>
        )}
      </details>

      <details class="more" open={!!impact}>
        <summary>Impact on the business (ISB)</summary>
        {!impact ? (
          <>
            <p class="hint">Optional. How the crime has affected the business, told by its manager or another authorised person; sent with the report.</p>
            <button type="button" class="secondary" onClick={() => setImpact({})}>
              Add an impact statement
            </button>
          </>
        ) : (
          <div class="statement">
            <TextField id="i-made-by" label="Made by (name and role)" hint="For example: Priya Shah, store manager." value={impact.madeBy} error={errors['impact.madeBy']} onInput={(madeBy) => setImpact({ madeBy })} />
            <TextArea
              id="i-text"
              label="Impact on the business"
              hint="In the maker’s own words: losses, staff affected, costs, changes the business has had to make. Not a view on the sentence."
              value={impact.text}
              error={errors['impact.text']}
              onInput={(text) => setImpact({ text })}
              rows={5}
            />
            <button type="button" class="secondary small" onClick={() => updateDraft({ impact: null })}>
              Remove the impact statement
            </button>
          </div>
        )}
      </details>

      <div class="actions sticky">
        <button type="submit" class="primary big" disabled={filing} data-testid="file-report">
          {filing ? 'Filing…' : 'File report'}
        </button>
        <button type="button" class="secondary" onClick={() => void discard()}>
          Start again
        </button>
      </div>
    </form>
  );
}
