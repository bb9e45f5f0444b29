// Till tablets: enrol one for a store (its code and a QR code of the sign-in link, shown once),
// list them and revoke one (its sessions and open radio end at once).
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { enrolmentLink } from '../login';
import { ActionButton, ApiForm, LoadStatus, TableWrap, useFormValues, useLoad } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import type { Device, EnrolledDevice } from './types';
import { useStoreList } from './users';

export function TabletsPage() {
  const devices = useLoad<Page<Device>>('/devices?limit=200');
  const { stores, name } = useStoreList();
  const [enrolled, setEnrolled] = useState<EnrolledDevice | null>(null);
  return (
    <>
      <h2>Enrol a tablet</h2>
      {stores.length ? (
        <EnrolForm stores={stores} onEnrolled={(d) => (setEnrolled(d), devices.reload())} />
      ) : (
        <p class="hint">Add a store first (Stores and businesses).</p>
      )}
      {enrolled && <EnrolmentCode device={enrolled} storeName={name(enrolled.storeId)} />}
      <h2>Tablets</h2>
      <LoadStatus load={devices} empty="No tablets enrolled yet." />
      {devices.data && devices.data.items.length > 0 && (
        <TableWrap label="Tablets">
          <table class="table" data-testid="devices">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Store</th>
                <th scope="col">Last seen</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.data.items.map((d) => (
                <tr key={d.id} data-testid="device-row">
                  <td>{d.name}</td>
                  <td>{name(d.storeId)}</td>
                  <td>{when(d.lastSeenAt)}</td>
                  <td>{d.revoked ? 'Revoked' : 'Enrolled'}</td>
                  <td>
                    {!d.revoked && (
                      <ActionButton
                        label={`Revoke ${d.name}`}
                        text="Revoke"
                        submit={() => api.request('DELETE', `/devices/${d.id}`)}
                        onDone={devices.reload}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

function EnrolForm({ stores, onEnrolled }: { stores: { id: string; name: string }[]; onEnrolled: (d: EnrolledDevice) => void }) {
  const text = useFormValues({ name: '' });
  const [storeId, setStoreId] = useState(stores[0].id);
  const ids = { storeId: 't-store', name: 't-name' };
  return (
    <ApiForm
      label="Enrol a tablet"
      submitText="Enrol tablet"
      busyText="Enrolling…"
      fieldIds={ids}
      submit={async () => onEnrolled(await api.post<EnrolledDevice>('/devices', { storeId, name: text.values.name.trim() }))}
      onDone={() => text.clear('name')}
    >
      {(problems) => (
        <div class="grid-2">
          <Select
            id={ids.storeId}
            label="Store"
            value={storeId}
            options={stores.map((s): [string, string] => [s.id, s.name])}
            onChange={setStoreId}
            error={problems.storeId}
          />
          <TextField id={ids.name} label="Tablet name" hint="For example: Front till" {...text.field('name', problems)} required />
        </div>
      )}
    </ApiForm>
  );
}

/** The code and the QR code of its sign-in link: shown once, never stored by the browser. */
function EnrolmentCode({ device, storeName }: { device: EnrolledDevice; storeName: string }) {
  const link = enrolmentLink(device.credential);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (svg) => live && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [link]);
  return (
    <div class="shown-once" role="status" data-testid="enrolment">
      <h3>
        Set up “{device.name}” at {storeName}
      </h3>
      <p>
        Shown only now. On the tablet, scan the QR code with its camera, or open the hub, choose “Set up this till tablet”
        and enter the code.
      </p>
      {qr && <img class="qr" src={qr} alt="QR code that opens the hub and signs this tablet in" data-testid="enrolment-qr" />}
      <p>
        Code: <code data-testid="enrolment-code">{device.credential}</code>
      </p>
      <p>
        Link (what the QR code opens): <code data-testid="enrolment-link">{link}</code>
      </p>
    </div>
  );
}
