import { PageHeader } from '../ui';

export default function Users() {
  return <PageHeader title="Users" />;
}
