// Admin reports page: reads /admin/equity, /admin/analytics and /admin/value with the admin token the user
// types (kept in memory only, sent as a bearer header, never in a URL) and draws small SVG charts.
// No library, no inline script or style (the page's CSP allows only this origin's files).

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const DIMENSIONS = { race: 'Race', ethnicity: 'Ethnicity', sex: 'Sex', ageBand: 'Age band' };
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
const money = (x) => `$${Math.round(x).toLocaleString('en-US')}`;

async function getJson(path, since, until) {
  const res = await fetch(`${path}?since=${since}&until=${until}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${body.message ?? res.status}`);
  return body;
}

/** dot-and-whisker chart of override rates (with 95 % intervals) per group, the overall rate dashed */
function groupChart(title, groups, overall) {
  const shown = groups.filter((g) => !g.suppressed && g.overrideRate !== null);
  const left = 250, width = 640, row = 28, top = 24;
  const height = top + row * shown.length + 30;
  const x = (v) => left + v * (width - left - 20);
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: override rate per group with 95 % intervals` });
  svg.append(svgEl('title', {}, `${title}: override rate per group with 95 % intervals`));
  svg.append(svgEl('text', { x: 0, y: 14, 'font-weight': 600 }, title));
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(svgEl('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 4, y2: height - 24 }));
    svg.append(svgEl('text', { x: x(t), y: height - 8, 'text-anchor': 'middle' }, `${t * 100}%`));
  }
  if (overall !== null) svg.append(svgEl('line', { class: 'overall', x1: x(overall), x2: x(overall), y1: top - 4, y2: height - 24 }));
  shown.forEach((g, i) => {
    const y = top + row * i + row / 2;
    svg.append(svgEl('text', { x: left - 8, y: y + 4, 'text-anchor': 'end' }, `${g.display} (n=${g.responded})`));
    svg.append(svgEl('line', { class: 'ci', x1: x(g.overrideRateCI95.low), x2: x(g.overrideRateCI95.high), y1: y, y2: y }));
    const dot = svgEl('circle', { class: 'point', cx: x(g.overrideRate), cy: y, r: 5, 'data-group': g.group, 'data-rate': g.overrideRate });
    dot.append(svgEl('title', {}, `${g.display}: ${pct(g.overrideRate)} (95 % CI ${pct(g.overrideRateCI95.low)}–${pct(g.overrideRateCI95.high)})`));
    svg.append(dot);
  });
  return svg;
}

/** override rate per bucket over time: the 95 % interval as a band, the rate as a line */
function trendChart(series) {
  const pts = series.filter((p) => p.overrideRate !== null);
  const width = 640, height = 220, left = 44, bottom = 28, top = 10;
  const n = Math.max(series.length - 1, 1);
  const x = (i) => left + (i / n) * (width - left - 10);
  const y = (v) => top + (1 - v) * (height - top - bottom);
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Override rate over time with 95 % intervals' });
  svg.append(svgEl('title', {}, 'Override rate over time with 95 % intervals'));
  for (const t of [0, 0.5, 1]) {
    svg.append(svgEl('line', { class: 'axis', x1: left, x2: width - 10, y1: y(t), y2: y(t) }));
    svg.append(svgEl('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end' }, `${t * 100}%`));
  }
  const idx = (p) => series.indexOf(p);
  if (pts.length) {
    const upper = pts.map((p) => `${x(idx(p))},${y(p.overrideRateCI95.high)}`);
    const lower = pts.map((p) => `${x(idx(p))},${y(p.overrideRateCI95.low)}`).reverse();
    svg.append(svgEl('polygon', { class: 'band', points: [...upper, ...lower].join(' ') }));
    svg.append(svgEl('polyline', { class: 'line', points: pts.map((p) => `${x(idx(p))},${y(p.overrideRate)}`).join(' ') }));
  }
  for (const p of pts) {
    const dot = svgEl('circle', { class: 'point', cx: x(idx(p)), cy: y(p.overrideRate), r: 3, 'data-start': p.start, 'data-rate': p.overrideRate });
    dot.append(svgEl('title', {}, `${p.start.slice(0, 10)}: ${pct(p.overrideRate)} of ${p.accepted + p.overridden} responded`));
    svg.append(dot);
  }
  if (series.length) {
    svg.append(svgEl('text', { x: left, y: height - 6 }, series[0].start.slice(0, 10)));
    svg.append(svgEl('text', { x: width - 10, y: height - 6, 'text-anchor': 'end' }, series[series.length - 1].start.slice(0, 10)));
  }
  return svg;
}

function renderEquity(r) {
  $('equity-method').textContent = r.method.description;
  const charts = $('equity-charts');
  charts.replaceChildren(...Object.entries(DIMENSIONS).map(([d, title]) => groupChart(title, r.dimensions[d], r.overall.overrideRate)));
  $('disparities').replaceChildren(
    ...(r.disparities.length
      ? r.disparities.map((d) => {
          const li = el('li');
          li.append(el('span', { class: d.direction }, d.direction), ` — ${DIMENSIONS[d.dimension]}: ${d.display}: `);
          li.append(d.measures.map((m) => `${m.metric === 'overrideRate' ? 'override' : 'acceptance'} rate ${pct(m.groupRate)} vs ${pct(m.restRate)} for the rest (p = ${m.p.toPrecision(2)})`).join('; '));
          return li;
        })
      : [el('li', {}, 'None flagged.')]),
  );
  $('suppression-rule').textContent = `${r.suppression.rule} ${r.suppression.complementary}`;
  const hidden = Object.entries(r.dimensions).flatMap(([d, groups]) => groups.filter((g) => g.suppressed).map((g) => el('li', {}, `${DIMENSIONS[d]}: ${g.display} — ${g.explanation}`)));
  $('suppressed').replaceChildren(...(hidden.length ? hidden : [el('li', {}, 'None.')]));
  $('equity').hidden = false;
}

function renderTrend(r) {
  $('trend-chart').replaceChildren(trendChart(r.series));
  $('trend').hidden = false;
}

function renderValue(r) {
  const range = (x) => (x ? `${money(x.low)} – ${money(x.high)}` : '—');
  $('value-table').tBodies[0].replaceChildren(
    ...r.byPlan.map((p) => {
      const tr = el('tr', { 'data-plan': p.plan });
      for (const v of [p.planName, p.contraindicatedAvoided, p.nonResponseAvoided, p.doseErrorAvoided, p.stepTherapyExemptions, p.paAutoApprovals, p.testsOrdered, range(p.estimate.avoidedCost), p.estimate.notEstimated.map((n) => n.estimate).join(', ') || '—']) {
        tr.append(el('td', {}, String(v)));
      }
      return tr;
    }),
  );
  $('value').hidden = false;
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
      const [equity, analytics, value] = await Promise.all([getJson('/admin/equity', since, until), getJson('/admin/analytics', since, until), getJson('/admin/value', since, until)]);
      renderEquity(equity);
      renderTrend(analytics);
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
