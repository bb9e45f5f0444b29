import type { Incident, Store } from '../api/types';
import { ExhibitGallery } from './exhibits';
import { injuryLabel, pounds, typeLabel, weaponLabel, when } from './labels';

export function IncidentDetail({ incident: i, stores }: { incident: Incident; stores: Map<string, Store> }) {
  return (
    <dl class="detail">
      <dt>Store</dt>
      <dd>{stores.get(i.storeId)?.name ?? i.storeId}</dd>
      <dt>When</dt>
      <dd>{when(i.occurredAt)}</dd>
      <dt>What</dt>
      <dd>{i.types.map(typeLabel).join(', ')}</dd>
      {i.triggers.length > 0 && (
        <>
          <dt>Trigger</dt>
          <dd>{i.triggers.map(typeLabel).join(', ')}</dd>
        </>
      )}
      <dt>Weapon · injury</dt>
      <dd>
        {weaponLabel(i.weapon)} · {injuryLabel(i.injury)}
      </dd>
      <dt>Account</dt>
      <dd class="narrative">{i.narrative}</dd>
      {i.offenders.map((o, n) => (
        <>
          <dt key={`o${n}`}>Offender {n + 1}</dt>
          <dd key={`d${n}`}>
            {[o.freeText, o.clothing, o.directionOfTravel && `went ${o.directionOfTravel}`].filter(Boolean).join(' · ')}
            {o.exactWords && <q class="exact">{o.exactWords}</q>}
          </dd>
        </>
      ))}
      {i.valuePence > 0 && (
        <>
          <dt>Value</dt>
          <dd>
            {pounds(i.valuePence)} (recovered {pounds(i.recoveredValuePence)})
          </dd>
        </>
      )}
      <dt>Police</dt>
      <dd>
        {i.policeReported ? `Reported${i.crimeReference ? ` (${i.crimeReference})` : ''}` : 'Not reported'}
        {i.policeAttended ? ', attended' : ''}
      </dd>
      <dt>CCTV</dt>
      <dd>{i.cctvAvailable ? `Yes${i.cctvOverwriteOn ? `, overwritten on ${i.cctvOverwriteOn}` : ''}` : 'No'}</dd>
      <dt>Photos and files</dt>
      <dd>
        <ExhibitGallery incidentId={i.id} />
      </dd>
      <dt>Status</dt>
      <dd>
        {i.status} (version {i.version})
      </dd>
    </dl>
  );
}
