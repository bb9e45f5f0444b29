// Users: invite someone with a role (and a store for shop roles), disable and re-enable accounts.
// An invitation's password is made by the hub and shown here once; only its hash is kept.
import { useState } from 'preact/hooks';
import { api, type Session } from '../api/client';
import type { Page, Role, Store } from '../api/types';
import { ActionButton, ApiForm, LoadStatus, TableWrap, useFormValues, useLoad } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import type { CreatedUser, User } from './types';

export const ROLE_LABELS: [Role, string][] = [
  ['shopworker', 'Shop worker'],
  ['store_manager', 'Store manager'],
  ['coordinator', 'Coordinator'],
  ['police', 'Police officer'],
  ['analyst', 'Analyst'],
  ['admin', 'Administrator'],
];
const roleLabel = (r: Role) => ROLE_LABELS.find(([v]) => v === r)?.[1] ?? r;
const SHOP_ROLES: Role[] = ['shopworker', 'store_manager'];

/** The partnership's stores for pickers and names (admins see them all). */
export function useStoreList() {
  const load = useLoad<Page<Store>>('/stores?limit=200');
  return { load, stores: load.data?.items ?? [], name: (id: string | null) => load.data?.items.find((s) => s.id === id)?.name ?? '—' };
}

export function UsersPage({ session }: { session: Session }) {
  const users = useLoad<Page<User>>('/users?limit=200');
  const { stores, name } = useStoreList();
  const [invited, setInvited] = useState<CreatedUser | null>(null);
  return (
    <>
      <h2>Invite someone</h2>
      <InviteForm stores={stores} onInvited={(u) => (setInvited(u), users.reload())} />
      {invited?.initialPassword && <Invitation user={invited} />}
      <h2>Accounts</h2>
      <LoadStatus load={users} empty="No accounts yet." />
      {users.data && users.data.items.length > 0 && (
        <TableWrap label="Users">
          <table class="table" data-testid="users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Store</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <td>{u.displayName}</td>
                  <td>{u.email}</td>
                  <td>{roleLabel(u.role)}</td>
                  <td>{name(u.storeId)}</td>
                  <td>{u.disabled ? 'Disabled' : 'Active'}</td>
                  <td>
                    {u.id !== session.actor.id && (
                      <ActionButton
                        label={`${u.disabled ? 'Re-enable' : 'Disable'} ${u.displayName}`}
                        text={u.disabled ? 'Re-enable' : 'Disable'}
                        submit={() =>
                          u.disabled
                            ? api.post(`/users/${u.id}/enable`)
                            : api.request('DELETE', `/users/${u.id}`)
                        }
                        onDone={users.reload}
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

const INVITE_IDS = { email: 'u-email', displayName: 'u-name', role: 'u-role', storeId: 'u-store' };

function InviteForm({ stores, onInvited }: { stores: Store[]; onInvited: (u: CreatedUser) => void }) {
  const text = useFormValues({ email: '', displayName: '' });
  const [role, setRole] = useState<Role>('shopworker');
  const [storeId, setStoreId] = useState('');
  const shop = SHOP_ROLES.includes(role);
  return (
    <ApiForm
      label="Invite someone"
      submitText="Invite"
      busyText="Inviting…"
      fieldIds={INVITE_IDS}
      submit={async () =>
        onInvited(
          await api.post<CreatedUser>('/users', {
            email: text.values.email.trim(),
            displayName: text.values.displayName.trim(),
            role,
            ...(shop && storeId ? { storeId } : {}),
          }),
        )
      }
      onDone={() => text.clear('email', 'displayName')}
    >
      {(problems) => (
        <div class="grid-2">
          <TextField id={INVITE_IDS.displayName} label="Full name" {...text.field('displayName', problems)} required />
          <TextField
            id={INVITE_IDS.email}
            label="Email"
            type="email"
            inputMode="email"
            autocomplete="off"
            {...text.field('email', problems)}
            required
          />
          <Select id={INVITE_IDS.role} label="Role" value={role} options={ROLE_LABELS} onChange={setRole} error={problems.role} />
          {shop && (
            <Select
              id={INVITE_IDS.storeId}
              label="Store"
              value={storeId}
              options={[['', 'Choose a store'], ...stores.map((s): [string, string] => [s.id, s.name])]}
              onChange={setStoreId}
              error={problems.storeId}
            />
          )}
        </div>
      )}
    </ApiForm>
  );
}

function Invitation({ user }: { user: CreatedUser }) {
  return (
    <div class="shown-once" role="status" data-testid="invitation">
      <h3>Give these to {user.displayName}</h3>
      <p>This password is shown only now. Pass it on in person or by phone, not in the same email as the address.</p>
      <dl class="detail">
        <dt>Sign in at</dt>
        <dd>
          <code>{location.origin}</code>
        </dd>
        <dt>Email</dt>
        <dd>
          <code data-testid="invited-email">{user.email}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="invited-password">{user.initialPassword}</code>
        </dd>
      </dl>
    </div>
  );
}
