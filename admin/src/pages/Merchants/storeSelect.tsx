// The store picker of the store products and cashiers pages (?store= in the URL).
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { listStores } from '../../services/merchants';

export function useStoreParam(): [string | null, (id: string) => void, { id: string; name: string }[]] {
  const [params, setParams] = useSearchParams();
  const stores = useQuery({ queryKey: ['stores', 'all'], queryFn: () => listStores({ page: 1, pageSize: 100 }) });
  const items = stores.data?.items ?? [];
  const id = params.get('store') ?? items[0]?.id ?? null;
  return [id, (s) => setParams({ store: s }), items];
}

export function StoreSelect({ value, onChange, stores }: { value: string | null; onChange: (id: string) => void; stores: { id: string; name: string }[] }) {
  return (
    <Select
      showSearch
      optionFilterProp="label"
      style={{ width: 240 }}
      placeholder="选择门店"
      value={value ?? undefined}
      onChange={onChange}
      options={stores.map((s) => ({ label: s.name, value: s.id }))}
      data-testid="store-select"
    />
  );
}
