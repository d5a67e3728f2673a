// The leydigkg explorer: a question (From → To, or one entity and a
// direction) drawn with Cytoscape.js. It talks to the public GraphQL API
// only (POST graphql, beside this page) and needs nothing else: the bundle
// is served by the same binary, so it works with the network off.
import cytoscape from 'cytoscape';
import './explore.css';

const endpoint = new URL('graphql', document.baseURI).toString();

// Kinds (enum EntityKind) and their colours; the legend lists them.
const KIND_COLOURS = {
  ANATOMY: '#8d6e63',
  CELL: '#ef6c00',
  CONDITION: '#c2185b',
  GENE_PRODUCT: '#00897b',
  HORMONE: '#1e88e5',
  MOLECULE: '#7cb342',
  PROCESS: '#8e24aa',
  THERAPY: '#f9a825',
};
const OTHER_COLOUR = '#78909c';
const colourOf = (kind) => KIND_COLOURS[kind] || OTHER_COLOUR;

const $ = (id) => document.getElementById(id);
const graphEl = $('graph');

// state is what the page shows; window.__explorer exposes it (and cy) so
// that a test, or a curious researcher in the console, can look.
const state = { question: null, chains: [], nodes: 0, edges: 0, evidence: null, error: null };

const cy = cytoscape({
  container: graphEl,
  wheelSensitivity: 0.3,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        label: 'data(label)',
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': 120,
        width: 26,
        height: 26,
        'border-width': 1,
        'border-color': '#333',
      },
    },
    { selector: 'node.end', style: { 'border-width': 4, 'border-color': '#111' } },
    {
      selector: 'edge',
      style: {
        width: 2,
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 1.3,
      },
    },
    {
      selector: 'edge[effect = "INCREASES"]',
      style: { 'line-color': '#2e7d32', 'target-arrow-color': '#2e7d32', 'line-style': 'solid', 'target-arrow-shape': 'triangle' },
    },
    {
      selector: 'edge[effect = "DECREASES"]',
      style: { 'line-color': '#c62828', 'target-arrow-color': '#c62828', 'line-style': 'dashed', 'target-arrow-shape': 'tee' },
    },
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: 'edge:selected, edge.picked', style: { width: 5 } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ffb300' } },
  ],
});

window.__explorer = { cy, state };

// gql posts one GraphQL request; it resolves to {data, errors}.
async function gql(query, variables) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json;q=0.9',
    },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const ENTITY = 'id name kind';
const LINK = `id effect subject { ${ENTITY} } object { ${ENTITY} }`;
const PATH = `netEffect length confidence entities { ${ENTITY} } links { ${LINK} }`;

const TRACE = `query Trace($from: ID!, $to: ID!, $maxDepth: Int) {
  trace(from: $from, to: $to, maxDepth: $maxDepth) {
    from { ${ENTITY} } to { ${ENTITY} }
    paths { ${PATH} }
    explanation { reason message }
  }
}`;

const reach = (field) => `query Reach($of: ID!, $maxDepth: Int) {
  r: ${field}(of: $of, maxDepth: $maxDepth, first: 40) {
    of { ${ENTITY} } total truncated
    entities { distance effects confidence entity { ${ENTITY} } path { ${PATH} } }
  }
}`;

const EVIDENCE = `query Evidence($id: ID!) {
  link(id: $id) {
    id effect predicate mechanism confidence contested
    subject { name } object { name }
    belief { score bySource { contribution evidenceCount source { id title } } }
    evidence {
      quote section publications knowledgeLevel negated
      references { id citation }
      source { id title url }
    }
  }
}`;

const EXPAND = `query Expand($id: ID!) {
  entity(id: $id) {
    ${ENTITY}
    outgoing(first: 25) { ${LINK} }
    incoming(first: 25) { ${LINK} }
  }
}`;

// --- drawing -------------------------------------------------------------

function addEntity(e, classes) {
  const n = cy.getElementById(e.id);
  if (n.nonempty()) {
    if (classes) n.addClass(classes);
    return n;
  }
  return cy.add({ group: 'nodes', data: { id: e.id, label: e.name, kind: e.kind, colour: colourOf(e.kind) }, classes });
}

function addLink(l) {
  addEntity(l.subject);
  addEntity(l.object);
  if (cy.getElementById(l.id).nonempty()) return;
  cy.add({ group: 'edges', data: { id: l.id, source: l.subject.id, target: l.object.id, effect: l.effect } });
}

function addPath(p) {
  p.entities.forEach((e) => addEntity(e));
  p.links.forEach(addLink);
}

// layout puts each entity in the column of its furthest place along the
// chains (the start on the left, the end on the right), so that every chain
// reads left to right; entities in a column keep the order they first came.
function layout(paths, end, mirror) {
  const rank = new Map();
  const order = [];
  for (const p of paths) {
    p.entities.forEach((e, i) => {
      if (!rank.has(e.id)) order.push(e.id);
      rank.set(e.id, Math.max(rank.get(e.id) || 0, i));
    });
  }
  if (end && rank.has(end)) {
    rank.set(end, Math.max(...rank.values()));
  }
  const columns = new Map();
  for (const id of order) {
    const r = rank.get(id);
    if (!columns.has(r)) columns.set(r, []);
    columns.get(r).push(id);
  }
  const positions = {};
  for (const [r, ids] of columns) {
    ids.forEach((id, i) => {
      positions[id] = { x: (mirror ? -r : r) * 230, y: (i - (ids.length - 1) / 2) * 90 };
    });
  }
  cy.nodes().forEach((n, i) => {
    if (!positions[n.id()]) positions[n.id()] = { x: 0, y: (i + 1) * 90 };
  });
  cy.layout({ name: 'preset', positions, fit: true, padding: 40 }).run();
  count();
}

function count() {
  state.nodes = cy.nodes().length;
  state.edges = cy.edges().length;
  graphEl.dataset.nodes = String(state.nodes);
  graphEl.dataset.edges = String(state.edges);
}

function legend() {
  const kinds = new Set(cy.nodes().map((n) => n.data('kind')));
  const box = $('legend');
  box.replaceChildren(h('h3', 'Legend'));
  for (const [kind, colour] of Object.entries(KIND_COLOURS)) {
    if (kinds.size && !kinds.has(kind)) continue;
    const sw = h('span', '');
    sw.className = 'swatch';
    sw.style.background = colour;
    const item = h('span', [sw, kind.toLowerCase().replace('_', ' ')]);
    item.className = 'legend-item';
    box.append(item);
  }
  const inc = h('span', '');
  inc.className = 'arrow-key inc';
  const dec = h('span', '');
  dec.className = 'arrow-key dec';
  const a = h('span', [inc, 'INCREASES (→)']);
  a.className = 'legend-item INCREASES';
  const b = h('span', [dec, 'DECREASES (⊣)']);
  b.className = 'legend-item DECREASES';
  box.append(h('div', [a, b]));
}

// h makes an element with text or children.
function h(tag, content) {
  const el = document.createElement(tag);
  if (Array.isArray(content)) el.append(...content);
  else if (content != null) el.textContent = content;
  return el;
}

const arrow = (effect) => (effect === 'DECREASES' ? ' ⊣ ' : ' → ');

function chainText(p) {
  let s = p.entities[0].name;
  p.links.forEach((l, i) => {
    s += arrow(l.effect) + p.entities[i + 1].name;
  });
  return s;
}

function showChains(title, chains) {
  state.chains = chains.map((p) => ({ text: chainText(p), netEffect: p.netEffect, confidence: p.confidence, links: p.links.map((l) => l.id) }));
  const box = $('chains');
  box.replaceChildren(h('h3', title));
  if (!chains.length) return;
  const ol = h('ol');
  ol.className = 'chains';
  chains.forEach((p, i) => {
    const net = h('span', 'net ' + p.netEffect);
    net.className = 'net ' + p.netEffect;
    const li = h('li', [chainText(p) + ' — ', net, ` (confidence ${p.confidence.toFixed(2)})`]);
    li.dataset.chain = String(i);
    li.addEventListener('click', () => highlight(p));
    ol.append(li);
  });
  box.append(ol);
}

function highlight(p) {
  const keep = cy.collection();
  p.entities.forEach((e) => (keep.merge(cy.getElementById(e.id))));
  p.links.forEach((l) => (keep.merge(cy.getElementById(l.id))));
  cy.elements().addClass('faded');
  keep.removeClass('faded');
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

// --- errors: the API's forgiving lookup ----------------------------------

// showError lists the API's suggestions (NOT_FOUND's didYouMean,
// AMBIGUOUS's candidates) as buttons that put the name in the field it
// came from and ask again.
function showError(errors, fields) {
  const err = errors[0];
  state.error = { message: err.message, code: err.extensions && err.extensions.code };
  setStatus(err.message, true);
  const ext = err.extensions || {};
  const options = ext.didYouMean || ext.candidates || [];
  const box = $('suggestions');
  box.replaceChildren();
  if (!options.length) return;
  // The name the API did not find is quoted in its message.
  const m = /"([^"]*)"/.exec(err.message);
  const missing = m ? m[1] : '';
  let field = fields.find((f) => $(f).value.trim() === missing) || fields[0];
  box.append(h('span', ext.didYouMean ? 'Did you mean: ' : 'Which one: '));
  for (const o of options) {
    const b = h('button', `${o.name} (${String(o.kind || '').toLowerCase()})`);
    b.type = 'button';
    b.className = 'suggestion';
    b.dataset.id = o.id;
    b.addEventListener('click', () => {
      $(field).value = ext.candidates ? o.id : o.name;
      submit();
    });
    box.append(b);
  }
}

// --- questions -----------------------------------------------------------

function clearView() {
  cy.elements().remove();
  $('suggestions').replaceChildren();
  $('evidence').replaceChildren(h('p', 'Click a link to see its evidence; click an entity to expand it.'));
  state.evidence = null;
  state.error = null;
  state.chains = [];
  count();
}

async function ask(q) {
  state.question = q;
  graphEl.dataset.state = 'loading';
  clearView();
  setStatus('Asking…');
  const depth = q.depth ? Number(q.depth) : undefined;
  try {
    if (q.from && q.to) {
      const { data, errors } = await gql(TRACE, { from: q.from, to: q.to, maxDepth: depth });
      if (errors && errors.length) return fail(errors, ['from', 'to']);
      const t = data.trace;
      addEntity(t.from, 'end');
      addEntity(t.to, 'end');
      t.paths.forEach(addPath);
      layout(t.paths, t.to.id);
      legend();
      showChains(`${t.paths.length} chain${t.paths.length === 1 ? '' : 's'}: ${t.from.name} to ${t.to.name}`, t.paths);
      setStatus(t.paths.length ? '' : (t.explanation && t.explanation.message) || 'No chain.');
    } else if (q.around) {
      const up = q.dir === 'up';
      const { data, errors } = await gql(reach(up ? 'upstream' : 'downstream'), { of: q.around, maxDepth: depth });
      if (errors && errors.length) return fail(errors, ['around']);
      const r = data.r;
      addEntity(r.of, 'end');
      const paths = r.entities.map((e) => e.path).filter(Boolean);
      paths.forEach(addPath);
      layout(up ? paths.map((p) => ({ entities: [...p.entities].reverse() })) : paths, null, up);
      legend();
      showChains(`${r.entities.length} of ${r.total} entities ${up ? 'upstream of' : 'downstream of'} ${r.of.name}${r.truncated ? ' (truncated)' : ''}`, paths);
      setStatus('');
    } else {
      setStatus('Type two names (From, To), or one name and a direction.');
    }
    graphEl.dataset.state = 'drawn';
  } catch (e) {
    graphEl.dataset.state = 'error';
    setStatus(String(e), true);
  }
}

function fail(errors, fields) {
  graphEl.dataset.state = 'error';
  legend();
  showChains('', []);
  showError(errors, fields);
}

// --- clicks ----------------------------------------------------------------

cy.on('tap', 'edge', async (ev) => {
  const id = ev.target.id();
  cy.edges().removeClass('picked');
  ev.target.addClass('picked');
  const box = $('evidence');
  box.replaceChildren(h('p', 'Loading evidence…'));
  const { data, errors } = await gql(EVIDENCE, { id });
  if (errors && errors.length) {
    box.replaceChildren(h('p', errors[0].message));
    return;
  }
  const l = data.link;
  state.evidence = l;
  const eff = h('span', l.effect);
  eff.className = l.effect;
  const parts = [
    h('h3', [`${l.subject.name} `, eff, ` ${l.object.name}`]),
    h('div', `${l.predicate} · belief ${l.belief.score.toFixed(2)}${l.contested ? ' · contested' : ''}`),
  ];
  if (l.mechanism) parts.push(h('p', l.mechanism));
  const sources = l.belief.bySource.map((s) => `${s.source.title} (${s.evidenceCount}, ${s.contribution.toFixed(2)})`);
  if (sources.length) parts.push(h('div', 'Sources: ' + sources.join('; ')));
  for (const e of l.evidence) {
    const item = h('div');
    item.className = e.negated ? 'item negated' : 'item';
    // A denial among the evidence must not read as support.
    if (e.negated) item.append(h('div', 'Denies this link'));
    if (e.quote) item.append(h('blockquote', e.quote));
    const meta = [e.source.title];
    if (e.section) meta.push(e.section);
    if (e.knowledgeLevel && e.knowledgeLevel !== 'NOT_PROVIDED') meta.push(e.knowledgeLevel.toLowerCase().replace(/_/g, ' '));
    const m = h('div', meta.join(' · '));
    m.className = 'meta';
    item.append(m);
    const refs = e.references.map((r) => r.citation).concat(e.publications);
    if (refs.length) {
      const ul = h('ul', refs.map((r) => h('li', r)));
      ul.className = 'meta';
      item.append(ul);
    }
    parts.push(item);
  }
  box.replaceChildren(...parts);
});

cy.on('tap', 'node', async (ev) => {
  const id = ev.target.id();
  setStatus(`Expanding ${ev.target.data('label')}…`);
  const { data, errors } = await gql(EXPAND, { id });
  if (errors && errors.length) return setStatus(errors[0].message, true);
  const e = data.entity;
  // New entities go round the one tapped: what it changes on the right,
  // what changes it on the left; nothing already drawn moves.
  const centre = ev.target.position();
  const place = (links, end, side) => {
    const fresh = [];
    for (const l of links) {
      const other = l[end];
      if (cy.getElementById(other.id).empty() && !fresh.some((f) => f.id === other.id)) fresh.push(other);
      addLink(l);
    }
    fresh.forEach((o, i) => {
      const a = ((i + 1) / (fresh.length + 1) - 0.5) * Math.PI * 0.9;
      const radius = 200 + (fresh.length > 8 ? 60 * (i % 2) : 0);
      cy.getElementById(o.id).position({ x: centre.x + side * radius * Math.cos(a), y: centre.y + radius * Math.sin(a) });
    });
    return fresh.length;
  };
  const added = place(e.outgoing, 'object', 1) + place(e.incoming, 'subject', -1);
  cy.elements().removeClass('faded');
  if (added) cy.animate({ fit: { eles: cy.elements(), padding: 40 } }, { duration: 200 });
  count();
  legend();
  setStatus(`${e.name}: ${e.outgoing.length} outgoing, ${e.incoming.length} incoming links`);
});

cy.on('tap', (ev) => {
  if (ev.target === cy) cy.elements().removeClass('faded');
});

// --- the URL holds the question ------------------------------------------

const FIELDS = ['from', 'to', 'around', 'dir', 'depth'];

function questionFromForm() {
  const q = {};
  for (const f of FIELDS) {
    const v = $(f).value.trim();
    if (v) q[f] = v;
  }
  if (q.from && q.to) {
    delete q.around;
    delete q.dir;
  } else {
    delete q.from;
    delete q.to;
    if (!q.around) delete q.dir;
  }
  return q;
}

function submit() {
  const q = questionFromForm();
  const params = new URLSearchParams(q);
  const url = location.pathname + (params.toString() ? '?' + params : '');
  history.pushState(q, '', url);
  ask(q);
}

function fromURL() {
  const p = new URLSearchParams(location.search);
  const q = {};
  for (const f of FIELDS) {
    const v = p.get(f);
    $(f).value = f === 'dir' ? (v === 'up' ? 'up' : 'down') : v || '';
    if (v) q[f] = v;
  }
  return q;
}

$('ask').addEventListener('submit', (ev) => {
  ev.preventDefault();
  submit();
});
window.addEventListener('popstate', () => ask(fromURL()));

legend();
const first = fromURL();
if (Object.keys(first).length) ask(first);
else {
  setStatus('Type two names (From, To), or one name and a direction.');
  graphEl.dataset.state = 'empty';
}
