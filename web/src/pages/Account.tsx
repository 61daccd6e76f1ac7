import { PageHeader } from '../ui';

export default function Account() {
  return <PageHeader title="Account" />;
}
