// Stores and member businesses: the businesses that belong to the partnership, their stores, and
// changes to either. A store needs its business first.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page, Store } from '../api/types';
import { ApiForm, LoadStatus, useFormValues, useLoad } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import type { Business } from './types';
import { useStoreList } from './users';

export function StoresPage() {
  const businesses = useLoad<Page<Business>>('/businesses?limit=200');
  const { load: stores } = useStoreList();
  const [editing, setEditing] = useState<string | null>(null);
  const list = businesses.data?.items ?? [];
  const businessName = (id: string) => list.find((b) => b.id === id)?.name ?? '—';
  return (
    <>
      <h2>Member businesses</h2>
      <LoadStatus load={businesses} empty="No member businesses yet: add the first below." />
      <ul class="plain" data-testid="businesses">
        {list.map((b) => (
          <li key={b.id}>
            {editing === b.id ? (
              <BusinessForm business={b} onDone={() => (setEditing(null), businesses.reload())} />
            ) : (
              <div class="row-actions">
                <strong>{b.name}</strong>
                <button type="button" class="secondary small" onClick={() => setEditing(b.id)} aria-label={`Rename ${b.name}`}>
                  Rename
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <h3>Add a member business</h3>
      <BusinessForm onDone={businesses.reload} />

      <h2>Stores</h2>
      <LoadStatus load={stores} empty="No stores yet." />
      <ul class="plain" data-testid="stores">
        {stores.data?.items.map((s) => (
          <li key={s.id}>
            {editing === s.id ? (
              <StoreForm businesses={list} store={s} onDone={() => (setEditing(null), stores.reload())} />
            ) : (
              <div class="row-actions">
                <span>
                  <strong>{s.name}</strong> · {s.site}, {s.postcode} · {businessName(s.businessId)}
                </span>
                <button type="button" class="secondary small" onClick={() => setEditing(s.id)} aria-label={`Edit ${s.name}`}>
                  Edit
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <h3>Add a store</h3>
      {list.length ? <StoreForm businesses={list} onDone={stores.reload} /> : <p class="hint">Add a member business first.</p>}
    </>
  );
}

function BusinessForm({ business, onDone }: { business?: Business; onDone: () => void }) {
  const text = useFormValues({ name: business?.name ?? '' });
  const id = business ? `b-name-${business.id}` : 'b-name';
  return (
    <ApiForm
      label={business ? `Rename ${business.name}` : 'Add a member business'}
      submitText={business ? 'Save' : 'Add business'}
      fieldIds={{ name: id }}
      submit={() =>
        business
          ? api.request('PATCH', `/businesses/${business.id}`, { body: { name: text.values.name.trim() } })
          : api.post('/businesses', { name: text.values.name.trim() })
      }
      onDone={() => (business ? onDone() : (text.clear('name'), onDone()))}
    >
      {(problems) => <TextField id={id} label="Business name" {...text.field('name', problems)} required />}
    </ApiForm>
  );
}

function StoreForm({ businesses, store, onDone }: { businesses: Business[]; store?: Store; onDone: () => void }) {
  const text = useFormValues({ name: store?.name ?? '', site: store?.site ?? '', postcode: store?.postcode ?? '' });
  const [businessId, setBusinessId] = useState(store?.businessId ?? businesses[0]?.id ?? '');
  const key = store?.id ?? 'new';
  const ids = { name: `s-name-${key}`, site: `s-site-${key}`, postcode: `s-postcode-${key}`, businessId: `s-business-${key}` };
  const body = { name: text.values.name.trim(), site: text.values.site.trim(), postcode: text.values.postcode.trim() };
  return (
    <ApiForm
      label={store ? `Edit ${store.name}` : 'Add a store'}
      submitText={store ? 'Save' : 'Add store'}
      fieldIds={ids}
      submit={() =>
        store
          ? api.request('PATCH', `/stores/${store.id}`, { body })
          : api.post('/stores', { ...body, businessId })
      }
      onDone={() => (store ? onDone() : (text.clear('name', 'site', 'postcode'), onDone()))}
    >
      {(problems) => (
        <div class="grid-2">
          {!store && (
            <Select
              id={ids.businessId}
              label="Member business"
              value={businessId}
              options={businesses.map((b): [string, string] => [b.id, b.name])}
              onChange={setBusinessId}
              error={problems.businessId}
            />
          )}
          <TextField id={ids.name} label="Store name" {...text.field('name', problems)} required />
          <TextField id={ids.site} label="Address or unit" {...text.field('site', problems)} required />
          <TextField id={ids.postcode} label="Postcode" autocomplete="postal-code" {...text.field('postcode', problems)} required />
        </div>
      )}
    </ApiForm>
  );
}
