// The playground page: pick a sample patient, a hook and drugs; fetch the request the server builds;
// POST it to the real CDS service; render cards; send feedback. No framework, no CDN.
import { marked } from '/playground/vendor/marked.esm.js';
import DOMPurify from '/playground/vendor/purify.es.mjs';
import { el, renderCard, renderSystemActions } from '/playground/render.js';

const $ = (id) => document.getElementById(id);

// links in card detail open in a new tab without handing the service's page a window.opener
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});
const markdown = (md) => DOMPurify.sanitize(marked.parse(md, { gfm: true, async: false }));

const state = { patients: [], servicesByHook: new Map(), request: null, serviceId: null };

async function getJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { ok: res.ok, status: res.status, body };
}

const selectedPatient = () => state.patients.find((p) => p.id === $('patient').value);
const selectedHook = () => document.querySelector('input[name="hook"]:checked').value;
const selectedOrders = () => [...document.querySelectorAll('#orders input:checked')].map((i) => Number(i.value));

function showPatient() {
  const p = selectedPatient();
  if (!p) return;
  $('story').textContent = p.story;
  const plan = p.plan === null ? 'no insurance coverage on file' : `plan: ${p.planName || p.plan}`;
  const genes = p.genes.length ? `results on file: ${p.genes.join(', ')}` : 'no pharmacogenomic results on file';
  $('patient-facts').textContent = `${plan} · ${genes}`;
  $('orders').replaceChildren(
    ...p.orders.map((o) =>
      el('label', { class: 'choice' }, el('input', { type: 'checkbox', name: 'orders', value: String(o.index), checked: true }), ` ${o.display}`, el('span', { class: 'hint' }, ` RxNorm ${o.rxcui}`)),
    ),
  );
}

/** The request exactly as it will be sent (the server builds it: one builder for playground, demo and tests). */
async function loadRequest() {
  const p = selectedPatient();
  const orders = selectedOrders();
  $('orders-error').hidden = orders.length > 0;
  if (!p || orders.length === 0) return null;
  const hook = selectedHook();
  const url = `/playground/examples/${encodeURIComponent(p.id)}/request?hook=${hook}&orders=${orders.join(',')}`;
  const { ok, status, body } = await getJson(url);
  if (!ok) throw new Error(`could not build the request (${status}${body?.message ? `: ${body.message}` : ''})`);
  state.request = body;
  state.serviceId = state.servicesByHook.get(hook);
  $('request-json').textContent = JSON.stringify(body, null, 2);
  $('request-target').textContent = state.serviceId ? `→ POST /cds-services/${state.serviceId}` : '';
  return body;
}

async function sendFeedback(item) {
  const { status, body } = await getJson(`/cds-services/${state.serviceId}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] }),
  });
  return status === 200 ? `Feedback recorded (${item.outcome}).` : `Feedback not recorded: ${status}${body?.message ? ` ${body.message}` : ''}`;
}

const handlers = {
  markdown,
  accept: (card, suggestion) =>
    sendFeedback({ card: card.uuid, outcome: 'accepted', ...(suggestion.uuid ? { acceptedSuggestions: [{ id: suggestion.uuid }] } : {}) }),
  override: (card, reason, userComment) =>
    sendFeedback({
      card: card.uuid,
      outcome: 'overridden',
      ...(reason || userComment ? { overrideReason: { ...(reason ? { reason } : {}), ...(userComment ? { userComment } : {}) } } : {}),
    }),
};

function renderResponse(response) {
  const cards = response.cards || [];
  $('results-empty').textContent = cards.length ? '' : 'No cards: nothing for the prescriber to act on.';
  $('results-empty').hidden = cards.length > 0;
  $('cards').replaceChildren(...cards.map((c, i) => renderCard(c, i, handlers)));
  const actions = response.systemActions || [];
  $('system-actions').hidden = actions.length === 0;
  $('coverage').replaceChildren(...renderSystemActions(actions));
  $('response-details').hidden = false;
  $('response-json').textContent = JSON.stringify(response, null, 2);
}

async function send(event) {
  event.preventDefault();
  const button = $('send');
  button.disabled = true;
  $('status').textContent = 'Sending…';
  try {
    const request = await loadRequest(); // fresh hookInstance and dates for every call
    if (!request) {
      $('status').textContent = '';
      return;
    }
    if (!state.serviceId) throw new Error(`the service advertises no CDS service for ${request.hook}`);
    const started = performance.now();
    const { ok, status, body } = await getJson(`/cds-services/${state.serviceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const ms = Math.round(performance.now() - started);
    if (!ok) throw new Error(`the service answered ${status}${body?.code ? ` ${body.code}` : ''}${body?.message ? `: ${body.message}` : ''}`);
    renderResponse(body);
    const n = body.cards?.length ?? 0;
    $('status').textContent = `${status} OK in ${ms} ms · ${n} card${n === 1 ? '' : 's'}`;
    $('results-heading').focus();
  } catch (e) {
    $('status').textContent = `Error: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

/** The issuers whose signed calls were answered without verification (e.g. the public CDS Hooks sandbox). */
async function showUnverifiedIssuers() {
  const { ok, body } = await getJson('/playground/unverified-issuers');
  if (!ok || !body) return;
  const seen = body.issuers || [];
  $('unverified').hidden = seen.length === 0 && !body.otherCalls;
  const parts = seen.map((i) => `${i.iss} (${i.calls} call${i.calls === 1 ? '' : 's'}, last ${i.lastSeen})`);
  if (body.otherCalls) parts.push(`${body.otherCalls} call(s) from other issuers`);
  $('unverified-issuers').textContent = parts.length ? `Unverified issuers seen: ${parts.join('; ')}` : '';
}

const refresh = () => loadRequest().catch((e) => ($('status').textContent = `Error: ${e.message}`));

async function start() {
  const [examples, discovery] = await Promise.all([getJson('/playground/examples'), getJson('/cds-services')]);
  if (!examples.ok || !discovery.ok) {
    $('status').textContent = `Error: could not load the sample patients (${examples.status}) or the service list (${discovery.status})`;
    return;
  }
  state.patients = examples.body.patients;
  for (const s of discovery.body.services || []) if (!state.servicesByHook.has(s.hook)) state.servicesByHook.set(s.hook, s.id);
  $('patient').replaceChildren(...state.patients.map((p) => el('option', { value: p.id }, p.title)));
  const wanted = new URLSearchParams(location.search).get('patient');
  if (wanted && state.patients.some((p) => p.id === wanted)) $('patient').value = wanted;
  showPatient();
  $('patient').addEventListener('change', () => {
    showPatient();
    refresh();
  });
  for (const r of document.querySelectorAll('input[name="hook"]')) r.addEventListener('change', refresh);
  $('orders').addEventListener('change', refresh);
  $('order-form').addEventListener('submit', send);
  await showUnverifiedIssuers().catch(() => {});
  setInterval(() => showUnverifiedIssuers().catch(() => {}), 5000);
  document.body.dataset.ready = 'true';
  await refresh();
}

start().catch((e) => {
  $('status').textContent = `Error: ${e.message}`;
});
