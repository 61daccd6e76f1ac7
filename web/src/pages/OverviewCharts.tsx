import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type OverviewData, type Point, SEVERITIES } from './overview-types';

/** Severity colours, readable on white (each passes 3:1 against the background for graphics). */
export const SEV_COLORS: Record<string, string> = {
  info: '#5b6b7f', low: '#2f7d32', medium: '#b06f00', high: '#d04a02', critical: '#b3132b',
};

function label(t: string, bucket: number): string {
  const d = new Date(t);
  return bucket >= 86_400 ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleString(undefined, { month: bucket > 3600 ? 'short' : undefined, day: bucket > 3600 ? 'numeric' : undefined, hour: '2-digit', minute: '2-digit' });
}

function Chart({ title, series, bucket, id }: { title: string; series: Point[]; bucket: number; id: string }) {
  const data = series.map((p) => ({ ...p, label: label(p.t, bucket) }));
  const total = series.reduce((s, p) => s + SEVERITIES.reduce((a, k) => a + p[k], 0), 0);
  return (
    <section className="card chart" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="muted small">{total} in range, by severity</p>
      <div role="img" aria-label={`${title}: ${total} in range. ${SEVERITIES.map((s) => `${s} ${series.reduce((a, p) => a + p[s], 0)}`).join(', ')}`}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend itemSorter={(item) => SEVERITIES.indexOf(String(item.value) as (typeof SEVERITIES)[number])} />
            {SEVERITIES.map((s) => <Bar key={s} dataKey={s} stackId="s" fill={SEV_COLORS[s]} isAnimationActive={false} />)}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export default function OverviewCharts({ data }: { data: OverviewData }) {
  return (
    <div className="charts">
      <Chart id="chart-events" title="Security events over time" series={data.events.series} bucket={data.bucket_seconds} />
      <Chart id="chart-alerts" title="Alerts over time" series={data.alerts.series} bucket={data.bucket_seconds} />
    </div>
  );
}
