// Admin reports page: reads /admin/equity, /admin/analytics, /admin/oncology and /admin/value with the admin
// token the user types (kept in memory only, sent as a bearer header, never in a URL) and draws small SVG
// charts: rates with their 95 % intervals per group and over time, the oncology indication match by plan rule,
// and the value estimates as ranges.
// No library, no inline script or style (the page's CSP allows only this origin's files).

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const DIMENSIONS = { race: 'Race', ethnicity: 'Ethnicity', sex: 'Sex', ageBand: 'Age band' };
/** the two rates every report gives, with the denominator each is taken over */
const METRICS = {
  acceptanceRate: { name: 'Acceptance rate', ci: 'acceptanceRateCI95', n: (c) => c.shown, nName: 'shown' },
  overrideRate: { name: 'Override rate', ci: 'overrideRateCI95', n: (c) => c.accepted + c.overridden, nName: 'responded' },
};
let token = '';

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const money = (x) => `${x < 0 ? '−' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;
const minutes = (x) => `${Math.round(x).toLocaleString('en-US')} min`;
const count = (x) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const rangeText = (r, fmt) => (r ? `${fmt(r.low)} – ${fmt(r.high)}` : '—');

async function getJson(path, since, until) {
  const res = await fetch(`${path}?since=${since}&until=${until}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${body.message ?? res.status}`);
  return body;
}

/**
 * Room for the longest row label at 12px (up to about 7.4px a character in bold), so no label is cut at
 * the left edge; every chart has the same width, so text is the same size in all of them.
 */
const CHART_WIDTH = 660;
const labelRoom = (labels) => Math.min(400, Math.max(120, Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * 7.4) + 16));

function chartFrame(width, height, label, metric) {
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, ...(metric ? { 'data-metric': metric } : {}) });
  svg.append(svgEl('title', {}, label));
  return svg;
}

/**
 * Dot-and-whisker chart of one rate per group: the dot is the rate, the whisker its 95 % interval, the
 * dashed line the rate over all cards, the dotted one a target where there is one.
 * items: [{ key, label, rate, ci, n, flag }] (flag: 'adverse' | 'favourable' when the group is flagged)
 */
function rateChart(title, metric, items, reference, target) {
  const m = METRICS[metric];
  const label = `${title}: ${m.name.toLowerCase()} per group with 95 % intervals`;
  const rowLabel = (g) => `${g.label} (n=${g.n})${g.flag ? ` — ${g.flag}` : ''}`;
  const left = labelRoom(items.map(rowLabel)), width = CHART_WIDTH, row = 26, top = 26;
  const height = top + row * Math.max(items.length, 1) + 30;
  const x = (v) => left + v * (width - left - 20);
  const svg = chartFrame(width, height, label, metric);
  svg.append(svgEl('text', { x: 0, y: 14, class: 'chart-title' }, `${title} — ${m.name.toLowerCase()}`));
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(svgEl('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 4, y2: height - 24 }));
    svg.append(svgEl('text', { x: x(t), y: height - 8, 'text-anchor': 'middle' }, `${t * 100}%`));
  }
  if (reference !== null && reference !== undefined) svg.append(svgEl('line', { class: 'overall', x1: x(reference), x2: x(reference), y1: top - 4, y2: height - 24 }));
  if (target !== undefined) svg.append(svgEl('line', { class: 'target', x1: x(target), x2: x(target), y1: top - 4, y2: height - 24 }));
  if (!items.length) svg.append(svgEl('text', { x: left, y: top + row / 2 + 4 }, 'No rate to show (nothing responded to, or every group hidden).'));
  items.forEach((g, i) => {
    const y = top + row * i + row / 2;
    svg.append(svgEl('text', { x: left - 8, y: y + 4, 'text-anchor': 'end', ...(g.flag ? { class: `flag-${g.flag}` } : {}) }, rowLabel(g)));
    svg.append(svgEl('line', { class: 'ci', x1: x(g.ci.low), x2: x(g.ci.high), y1: y, y2: y, 'data-low': g.ci.low, 'data-high': g.ci.high }));
    const dot = svgEl('circle', { class: `point${g.flag ? ` ${g.flag}` : ''}`, cx: x(g.rate), cy: y, r: 5, 'data-key': g.key, 'data-rate': g.rate });
    dot.append(svgEl('title', {}, `${g.label}: ${pct(g.rate)} (95 % CI ${pct(g.ci.low)}–${pct(g.ci.high)}), n=${g.n} ${m.nName}`));
    svg.append(dot);
  });
  return svg;
}

/** the items of a rate chart from report cells: suppressed cells and cells without the rate are left out */
function rateItems(cells, metric, keyOf, flagOf = () => undefined) {
  const m = METRICS[metric];
  return cells
    .filter((c) => !c.suppressed && c[metric] !== null && c[metric] !== undefined)
    .map((c) => ({ key: keyOf(c), label: c.display, rate: c[metric], ci: c[m.ci], n: m.n(c), flag: flagOf(c) }));
}

/** one rate per bucket over time: the 95 % interval as a band, the rate as a line; empty buckets are gaps on the axis */
function trendChart(series, metric, target) {
  const m = METRICS[metric];
  const pts = series.filter((p) => p[metric] !== null);
  const label = `${m.name} over time with 95 % intervals`;
  const width = CHART_WIDTH, height = 220, left = 44, bottom = 28, top = 24;
  const n = Math.max(series.length - 1, 1);
  const x = (i) => left + (i / n) * (width - left - 10);
  const y = (v) => top + (1 - v) * (height - top - bottom);
  const svg = chartFrame(width, height, label, metric);
  svg.append(svgEl('text', { x: 0, y: 14, class: 'chart-title' }, label));
  for (const t of [0, 0.5, 1]) {
    svg.append(svgEl('line', { class: 'axis', x1: left, x2: width - 10, y1: y(t), y2: y(t) }));
    svg.append(svgEl('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end' }, `${t * 100}%`));
  }
  if (target !== undefined) svg.append(svgEl('line', { class: 'target', x1: left, x2: width - 10, y1: y(target), y2: y(target) }));
  const idx = (p) => series.indexOf(p);
  if (pts.length) {
    const upper = pts.map((p) => `${x(idx(p))},${y(p[m.ci].high)}`);
    const lower = pts.map((p) => `${x(idx(p))},${y(p[m.ci].low)}`).reverse();
    svg.append(svgEl('polygon', { class: 'band', points: [...upper, ...lower].join(' ') }));
    svg.append(svgEl('polyline', { class: 'line', points: pts.map((p) => `${x(idx(p))},${y(p[metric])}`).join(' ') }));
  }
  for (const p of pts) {
    const dot = svgEl('circle', { class: 'point', cx: x(idx(p)), cy: y(p[metric]), r: 3, 'data-start': p.start, 'data-rate': p[metric] });
    dot.append(svgEl('title', {}, `${p.start.slice(0, 10)}: ${pct(p[metric])} (95 % CI ${pct(p[m.ci].low)}–${pct(p[m.ci].high)}) of ${m.n(p)} ${m.nName}`));
    svg.append(dot);
  }
  if (series.length) {
    svg.append(svgEl('text', { x: left, y: height - 6 }, series[0].start.slice(0, 10)));
    svg.append(svgEl('text', { x: width - 10, y: height - 6, 'text-anchor': 'end' }, series[series.length - 1].start.slice(0, 10)));
  }
  return svg;
}

/** one bar per plan from the low to the high estimate; "not estimated" where the policy lacks an assumption */
function rangeChart(title, items, fmt) {
  const left = labelRoom(items.map((i) => i.label)), width = CHART_WIDTH, row = 26, top = 26;
  const height = top + row * Math.max(items.length, 1) + 30;
  const known = items.filter((i) => i.range);
  const lo = Math.min(0, ...known.map((i) => i.range.low));
  const hi = Math.max(0, ...known.map((i) => i.range.high)) || 1;
  const x = (v) => left + ((v - lo) / (hi - lo)) * (width - left - 16);
  const svg = chartFrame(width, height, `${title}, low to high estimate per plan`);
  svg.append(svgEl('text', { x: 0, y: 14, class: 'chart-title' }, title));
  for (const t of [lo, 0, hi].filter((v, i, a) => a.indexOf(v) === i)) {
    svg.append(svgEl('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 4, y2: height - 24 }));
    svg.append(svgEl('text', { x: x(t), y: height - 8, 'text-anchor': t === hi ? 'end' : 'middle' }, fmt(t)));
  }
  items.forEach((item, i) => {
    const y = top + row * i + row / 2;
    svg.append(svgEl('text', { x: left - 8, y: y + 4, 'text-anchor': 'end' }, item.label));
    if (!item.range) {
      svg.append(svgEl('text', { x: left, y: y + 4, class: 'muted', 'data-key': item.key }, 'not estimated: an assumption is not set'));
      return;
    }
    const bar = svgEl('rect', { class: 'range', x: x(item.range.low), y: y - 6, width: Math.max(2, x(item.range.high) - x(item.range.low)), height: 12, 'data-key': item.key, 'data-low': item.range.low, 'data-high': item.range.high });
    bar.append(svgEl('title', {}, `${item.label}: ${rangeText(item.range, fmt)}`));
    svg.append(bar);
  });
  return svg;
}

function pairOfCharts(container, charts) {
  container.replaceChildren(...charts.map((c) => {
    const fig = el('figure');
    fig.append(c);
    return fig;
  }));
}

function renderEquity(r) {
  $('equity-method').textContent = r.method.description;
  const flagOf = (dimension, metric) => (g) =>
    r.disparities.find((d) => d.dimension === dimension && d.group === g.group)?.measures.find((m) => m.metric === metric)?.direction;
  $('equity-charts').replaceChildren(
    ...Object.entries(DIMENSIONS).map(([d, title]) => {
      const block = el('div', { class: 'pair', 'data-dimension': d });
      pairOfCharts(
        block,
        Object.keys(METRICS).map((metric) => rateChart(title, metric, rateItems(r.dimensions[d], metric, (g) => g.group, flagOf(d, metric)), r.overall[metric])),
      );
      return block;
    }),
  );
  $('disparities').replaceChildren(
    ...(r.disparities.length
      ? r.disparities.map((d) => {
          const li = el('li');
          li.append(el('span', { class: d.direction }, d.direction), ` — ${DIMENSIONS[d.dimension]}: ${d.display}: `);
          li.append(
            d.measures
              .map((m) => `${METRICS[m.metric].name.toLowerCase()} ${pct(m.groupRate)} (95 % CI ${pct(m.groupRateCI95.low)}–${pct(m.groupRateCI95.high)}) vs ${pct(m.restRate)} for the rest, n=${m.n}, p = ${m.p.toPrecision(2)}`)
              .join('; '),
          );
          return li;
        })
      : [el('li', {}, 'None flagged.')]),
  );
  $('suppression-rule').textContent = `${r.suppression.rule} ${r.suppression.complementary}`;
  const hidden = Object.entries(r.dimensions).flatMap(([d, groups]) => groups.filter((g) => g.suppressed).map((g) => el('li', {}, `${DIMENSIONS[d]}: ${g.display} — ${g.explanation}`)));
  $('suppressed').replaceChildren(...(hidden.length ? hidden : [el('li', {}, 'None.')]));
  $('equity').hidden = false;
}

function renderAnalytics(r) {
  $('analytics-method').textContent = `${r.method.description} Series in ${r.seriesInterval}s. Dotted line: the ${pct(r.overrideRateTarget)} override target.`;
  const target = (metric) => (metric === 'overrideRate' ? r.overrideRateTarget : undefined);
  pairOfCharts($('trend-charts'), Object.keys(METRICS).map((metric) => trendChart(r.series, metric, target(metric))));
  pairOfCharts($('kind-charts'), Object.keys(METRICS).map((metric) => rateChart('Card kind', metric, rateItems(r.byCardKind, metric, (g) => g.key), r.totals[metric], target(metric))));
  pairOfCharts($('pair-charts'), Object.keys(METRICS).map((metric) => rateChart('Gene–drug pair', metric, rateItems(r.byPair, metric, (g) => g.key), r.totals[metric], target(metric))));
  $('analytics').hidden = false;
}

function renderValue(r) {
  const plans = r.byPlan.map((p) => ({ key: p.plan, label: p.planName, e: p.estimate }));
  $('value-charts').replaceChildren(
    rangeChart('Avoided cost (USD)', plans.map((p) => ({ key: p.key, label: p.label, range: p.e.avoidedCost })), money),
    rangeChart('Net of testing cost (USD)', plans.map((p) => ({ key: p.key, label: p.label, range: p.e.net })), money),
    rangeChart('Staff time saved on PA and step-therapy requests', plans.map((p) => ({ key: p.key, label: p.label, range: p.e.administrativeMinutesSaved })), minutes),
    rangeChart(
      'Avoided cost by month (USD)',
      r.rows.map((x) => ({ key: `${x.periodStart.slice(0, 7)}/${x.plan}`, label: `${x.periodStart.slice(0, 7)} · ${x.planName}`, range: x.estimate.avoidedCost })),
      money,
    ),
  );
  $('value-table').tBodies[0].replaceChildren(
    ...r.byPlan.map((p) => {
      const tr = el('tr', { 'data-plan': p.plan });
      const e = p.estimate;
      for (const v of [
        p.planName, p.contraindicatedAvoided, p.nonResponseAvoided, p.doseErrorAvoided, p.stepTherapyExemptions, p.paAutoApprovals, p.testsOrdered,
        rangeText(e.adverseEventsAvoided, count), rangeText(e.avoidedCost, money), rangeText(e.administrativeMinutesSaved, minutes), rangeText(e.net, money),
        e.notEstimated.map((n) => `${n.estimate} (set ${n.missing.join(', ')})`).join('; ') || '—',
      ]) {
        tr.append(el('td', {}, String(v)));
      }
      return tr;
    }),
  );
  $('assumptions').replaceChildren(
    ...r.assumptions.flatMap((a) =>
      Object.entries(a.values).map(([name, v]) => {
        const li = el('li', { 'data-plan': a.plan, 'data-assumption': name });
        li.append(el('strong', {}, name), ` (${a.planName}): ${v.low} – ${v.high} ${v.unit}. `, el('span', { class: 'source' }, v.source));
        return li;
      }),
    ),
  );
  $('value').hidden = false;
}

function renderOncology(r) {
  $('oncology-method').textContent = r.method.description;
  const rate = (g) => (g.matchRate === null ? '—' : `${pct(g.matchRate)} (${pct(g.matchRateCI95.low)}–${pct(g.matchRateCI95.high)})`);
  const row = (key, display, g) => {
    const tr = el('tr', { 'data-rule': key });
    for (const v of [display, g.orders, g.matched, g.contrary, g.unresolved, g.indicationNotListed + g.noCancerCoded, rate(g), g.overridden]) tr.append(el('td', {}, String(v)));
    return tr;
  };
  $('oncology-table').tBodies[0].replaceChildren(...r.byPlanRule.map((g) => row(g.key, g.display, g)), row('all', 'All oncology orders', r.totals));
  $('oncology').hidden = false;
}

async function downloadCsv(report) {
  const res = await fetch(`/admin/${report}?since=${$('since').value}&until=${$('until').value}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `${report}-${$('since').value}-${$('until').value}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

function init() {
  const today = new Date();
  $('until').value = today.toISOString().slice(0, 10);
  $('since').value = new Date(today.getTime() - 30 * 86400000).toISOString().slice(0, 10);
  $('query').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    token = $('token').value;
    const status = $('status');
    status.className = '';
    status.textContent = 'Loading…';
    try {
      const since = $('since').value, until = $('until').value;
      const [equity, analytics, oncology, value] = await Promise.all([
        getJson('/admin/equity', since, until),
        getJson('/admin/analytics', since, until),
        getJson('/admin/oncology', since, until),
        getJson('/admin/value', since, until),
      ]);
      renderEquity(equity);
      renderAnalytics(analytics);
      renderOncology(oncology);
      renderValue(value);
      status.textContent = `${analytics.totals.shown} cards from ${analytics.totals.patients} patients, ${since} to ${until}.`;
    } catch (err) {
      status.className = 'error';
      status.textContent = err.message;
    }
  });
  for (const b of document.querySelectorAll('[data-csv]')) b.addEventListener('click', () => downloadCsv(b.dataset.csv));
}
init();
