// Rendering of CDS Hooks 2.0 cards and Da Vinci CRD coverage-information, the way EHRs show them.
// DOM building only (no network): app.js passes callbacks for feedback. Text from the service goes in
// through textContent; card detail markdown only through the sanitising `markdown` function.

const CRD_COVERAGE_INFORMATION = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';

const INDICATOR_LABEL = { info: 'Info', warning: 'Warning', critical: 'Critical' };

/** el('p', {class: 'x'}, 'text', child) — a small element builder. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Only http(s) URLs become links: a card must not be able to plant a javascript: URL. */
export function safeHref(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const externalLink = (href, text) => el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text);

function renderSource(source) {
  if (!source) return null;
  const href = source.url && safeHref(source.url);
  const label = href ? externalLink(href, source.label) : el('span', {}, source.label);
  const topic = source.topic && (source.topic.display || source.topic.code);
  return el('p', { class: 'card-source' }, 'Source: ', label, topic ? el('span', { class: 'topic' }, ` · ${topic}`) : null);
}

function renderLinks(links) {
  if (!links || links.length === 0) return null;
  return el(
    'ul',
    { class: 'card-links', 'aria-label': 'Links' },
    links.map((l) => {
      const href = safeHref(l.url);
      if (l.type === 'smart') {
        // a SMART app launch needs an EHR session (launch/iss parameters); show where it would go
        return el('li', {}, href ? externalLink(href, l.label) : l.label, el('span', { class: 'hint' }, ' (SMART app: launched by the EHR)'));
      }
      return el('li', {}, href ? externalLink(href, l.label) : l.label);
    }),
  );
}

/** What a suggestion would do to the EHR's orders, in words plus the FHIR resource for the curious. */
export function renderActions(actions) {
  const list = el('ul', { class: 'action-list' });
  for (const a of actions || []) {
    const what = a.resource
      ? `${a.resource.resourceType}${a.resource.id ? `/${a.resource.id}` : ''}${medicationText(a.resource) ? ` — ${medicationText(a.resource)}` : ''}`
      : a.resourceId || '';
    const item = el('li', {}, el('span', { class: `action-type action-${a.type}` }, a.type), ' ', a.description || '', what ? el('span', { class: 'hint' }, ` (${what})`) : null);
    if (a.resource) {
      item.append(el('details', {}, el('summary', {}, 'Resource'), el('pre', {}, JSON.stringify(a.resource, null, 2))));
    }
    list.append(item);
  }
  if (!list.childElementCount) list.append(el('li', { class: 'hint' }, 'This suggestion carries no actions.'));
  return list;
}

function medicationText(resource) {
  const c = resource && resource.medicationCodeableConcept;
  return c ? c.text || (c.coding && c.coding[0] && c.coding[0].display) || '' : '';
}

/**
 * One card. `handlers.accept(card, suggestion)` and `handlers.override(card, reason, comment)` return a
 * promise of a short outcome text shown in the card's live region.
 */
export function renderCard(card, index, { markdown, accept, override }) {
  const indicator = INDICATOR_LABEL[card.indicator] ? card.indicator : 'info';
  const headingId = `card-${index}-summary`;
  const status = el('p', { class: 'feedback-status', role: 'status', 'aria-live': 'polite' });
  const article = el('article', {
    class: `card card--${indicator}`,
    'data-indicator': indicator,
    'data-card-uuid': card.uuid,
    'aria-labelledby': headingId,
  });

  article.append(
    el('div', { class: 'card-head' },
      el('span', { class: `indicator indicator--${indicator}` }, INDICATOR_LABEL[indicator]),
      el('h3', { id: headingId, class: 'card-summary' }, card.summary)),
  );
  if (card.detail) {
    const detail = el('div', { class: 'card-detail' });
    detail.innerHTML = markdown(card.detail); // sanitised by DOMPurify in markdown()
    article.append(detail);
  }
  article.append(renderSource(card.source) || '');

  const suggestions = card.suggestions || [];
  if (suggestions.length) {
    const applied = el('div', { class: 'applied', hidden: true });
    const group = el('div', { class: 'suggestions', role: 'group', 'aria-label': 'Suggestions' });
    const buttons = suggestions.map((s) =>
      el('button', {
        type: 'button',
        class: s.isRecommended ? 'suggestion recommended' : 'suggestion',
        'data-suggestion-uuid': s.uuid || '',
        'aria-pressed': 'false',
        onclick: async (event) => {
          const button = event.currentTarget;
          // at-most-one: once one suggestion is taken the others no longer apply
          if (card.selectionBehavior === 'at-most-one') for (const b of buttons) b.disabled = true;
          else button.disabled = true;
          button.setAttribute('aria-pressed', 'true');
          applied.hidden = false;
          applied.replaceChildren(el('h4', {}, `Would apply: ${s.label}`), renderActions(s.actions));
          status.textContent = await accept(card, s);
        },
      }, s.isRecommended ? '★ ' : '', s.label),
    );
    group.append(...buttons);
    article.append(group, applied);
  }

  article.append(renderOverride(card, index, override, status), renderLinks(card.links) || '', status);
  return article;
}

function renderOverride(card, index, override, status) {
  const reasons = card.overrideReasons || [];
  const selectId = `override-${index}-reason`;
  const commentId = `override-${index}-comment`;
  const select = el('select', { id: selectId, class: 'override-reason' },
    el('option', { value: '' }, reasons.length ? 'Choose a reason…' : 'No reason given'),
    reasons.map((r, i) => el('option', { value: String(i) }, r.display || r.code)));
  const comment = el('input', { id: commentId, type: 'text', maxlength: '400', class: 'override-comment', placeholder: 'optional' });
  const button = el('button', {
    type: 'button',
    class: 'override',
    onclick: async () => {
      const reason = select.value === '' ? undefined : reasons[Number(select.value)];
      button.disabled = true;
      select.disabled = true;
      comment.disabled = true;
      status.textContent = await override(card, reason, comment.value.trim() || undefined);
    },
  }, 'Override');
  return el('details', { class: 'override-box' },
    el('summary', {}, 'Override this card'),
    el('div', { class: 'override-fields' },
      el('label', { for: selectId }, 'Reason'), select,
      el('label', { for: commentId }, 'Comment'), comment,
      button));
}

// ---- coverage-information systemActions ---------------------------------------------------------

const sub = (ext, url) => (ext.extension || []).filter((e) => e.url === url);
const codeOf = (ext, url) => {
  const e = sub(ext, url)[0];
  return e && (e.valueCode || (e.valueCodeableConcept && (e.valueCodeableConcept.text || e.valueCodeableConcept.coding?.[0]?.code)));
};

/** The CRD coverage-information of a systemAction's resource, flattened for display. */
export function coverageInfo(action) {
  const ext = (action.resource?.extension || []).find((e) => e.url === CRD_COVERAGE_INFORMATION);
  if (!ext) return undefined;
  const reason = sub(ext, 'reason')[0];
  return {
    order: medicationText(action.resource) || action.resource.id || '',
    covered: codeOf(ext, 'covered'),
    paNeeded: codeOf(ext, 'pa-needed'),
    docNeeded: codeOf(ext, 'doc-needed'),
    reason: reason && (reason.valueCodeableConcept?.text || reason.valueCodeableConcept?.coding?.[0]?.display),
    details: sub(ext, 'detail').map((d) => {
      const code = sub(d, 'code')[0]?.valueCodeableConcept?.coding?.[0];
      const value = sub(d, 'value')[0];
      const qual = sub(d, 'qualification')[0]?.valueString;
      const shown = value && (value.valueString ?? value.valueBoolean ?? value.valueCode ?? value.valueDecimal);
      return `${code?.display || code?.code || 'detail'}: ${shown ?? ''}${qual ? ` (${qual})` : ''}`;
    }),
    assertionId: sub(ext, 'coverage-assertion-id')[0]?.valueString,
  };
}

const BADGE = {
  covered: 'good', 'no-auth': 'good', satisfied: 'good',
  conditional: 'warn', 'auth-needed': 'warn', clinical: 'warn', admin: 'warn', patient: 'warn',
  'not-covered': 'bad',
  indeterminate: 'unknown',
};
const badge = (code) => (code ? el('span', { class: `badge badge--${BADGE[code] || 'unknown'}` }, code) : el('span', { class: 'hint' }, '—'));

export function renderSystemActions(actions) {
  const table = el('table', { class: 'coverage-table' },
    el('caption', { class: 'visually-hidden' }, 'Coverage information per order'),
    el('thead', {}, el('tr', {}, ['Order', 'Covered', 'Prior auth', 'Documentation', 'Why'].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  const others = [];
  for (const a of actions || []) {
    const info = coverageInfo(a);
    if (!info) {
      others.push(a);
      continue;
    }
    body.append(el('tr', { 'data-covered': info.covered || '' },
      el('th', { scope: 'row' }, info.order),
      el('td', {}, badge(info.covered)),
      el('td', {}, badge(info.paNeeded)),
      el('td', {}, badge(info.docNeeded)),
      el('td', {}, info.reason || '', info.details.length ? el('ul', { class: 'details' }, info.details.map((d) => el('li', {}, d))) : null)));
  }
  table.append(body);
  const out = [];
  if (body.childElementCount) out.push(table);
  if (others.length) out.push(el('h4', {}, 'Other system actions'), renderActions(others));
  return out;
}
