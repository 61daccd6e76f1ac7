import { PageHeader } from '../ui';

export default function Documents() {
  return <PageHeader title="Documents" />;
}
