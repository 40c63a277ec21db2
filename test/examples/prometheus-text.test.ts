import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './support/prometheus-text.js';

const VALID = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/users/:id",status_code="200"} 3
http_requests_total{method="POST",route="/users",status_code="400"} 1
# HELP http_request_duration_seconds Durations.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1",method="GET"} 2
http_request_duration_seconds_bucket{le="1",method="GET"} 3
http_request_duration_seconds_bucket{le="+Inf",method="GET"} 3
http_request_duration_seconds_sum{method="GET"} 0.42
http_request_duration_seconds_count{method="GET"} 3
# HELP lag_seconds Lag, with an escaped "label".
# TYPE lag_seconds gauge
lag_seconds{note="a \\"quoted\\" \\\\ value\\n"} NaN
# HELP gc_seconds GC.
# TYPE gc_seconds summary
gc_seconds{quantile="0.5"} 0.01
gc_seconds_sum 1.5
gc_seconds_count 7
`;

describe('the Prometheus text checker of the e2e tests', () => {
  it('reads valid text: families, types, labels, values', () => {
    const { families, problems } = parsePrometheusText(VALID);
    expect(problems).toEqual([]);
    expect([...families.keys()]).toEqual(['http_requests_total', 'http_request_duration_seconds', 'lag_seconds', 'gc_seconds']);
    expect(families.get('http_request_duration_seconds')?.samples).toHaveLength(5);
    expect(families.get('lag_seconds')?.samples[0]?.labels).toEqual({ note: 'a "quoted" \\ value\n' });
    expect(families.get('lag_seconds')?.samples[0]?.value).toBeNaN();
  });

  it.each([
    ['a bad metric name', VALID.replace('http_requests_total{method="GET"', '9http{method="GET"'), /not a valid sample/],
    ['a bad label', VALID.replace('route="/users"', 'route=/users'), /not a valid sample/],
    ['a bad value', VALID.replace('} 0.42', '} zero'), /not a valid sample/],
    ['a reserved label name', VALID.replace('le="0.1",method', 'le="0.1",__name'), /invalid label name __name/],
    ['a non-cumulative histogram', VALID.replace('{le="1",method="GET"} 3', '{le="1",method="GET"} 1'), /not cumulative/],
    ['a +Inf bucket that is not the count', VALID.replace('_count{method="GET"} 3', '_count{method="GET"} 4'), /!= _count/],
    ['a histogram without +Inf', VALID.replace('http_request_duration_seconds_bucket{le="+Inf",method="GET"} 3\n', ''), /no le="\+Inf"/],
    ['a histogram without _sum', VALID.replace('http_request_duration_seconds_sum{method="GET"} 0.42\n', ''), /no _sum/],
    ['a counter without _total', VALID.replaceAll('http_requests_total', 'http_requests'), /should end in _total/],
    ['a negative counter', VALID.replace('status_code="400"} 1', 'status_code="400"} -1'), /counter .* is -1/],
    ['a second TYPE', VALID.replace('# TYPE lag_seconds gauge', '# TYPE lag_seconds gauge\n# TYPE lag_seconds gauge'), /second # TYPE/],
    ['an unknown type', VALID.replace('# TYPE lag_seconds gauge', '# TYPE lag_seconds meter'), /unknown type/],
    ['a missing HELP', VALID.replace('# HELP lag_seconds Lag, with an escaped "label".\n', ''), /no # HELP/],
    ['a duplicate series', VALID.replace('gc_seconds_sum 1.5', 'gc_seconds_sum 1.5\ngc_seconds_sum 1.5'), /appears twice/],
    ['split samples', `${VALID}http_requests_total{method="PUT"} 1\n`, /not together/],
    ['a quantile out of range', VALID.replace('quantile="0.5"', 'quantile="1.5"'), /not in \[0, 1\]/],
    ['no final newline', VALID.trimEnd(), /newline/],
  ])('finds %s', (_what, text, problem) => {
    expect(parsePrometheusText(text).problems.join('\n')).toMatch(problem);
  });
});
