// The web chat: renders the engine's replies and sends text or button actions
// to POST /api/v1/stores/:store/chat. No build step, no dependencies.
const params = new URLSearchParams(location.search);
const store = params.get('store') || 'demo';
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');

const sessionKey = `chatshop-session-${store}`;
let session = localStorage.getItem(sessionKey);
if (!session) {
  session = crypto.randomUUID().replace(/-/g, '');
  localStorage.setItem(sessionKey, session);
}
const locale = params.get('lang') || navigator.language;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function buttons(list, primaryFirst = false) {
  if (!list || !list.length) return null;
  return el(
    'div',
    { class: 'buttons' },
    list.map((b, i) =>
      'url' in b
        ? el('a', { href: b.url, target: '_blank', rel: 'noopener', class: 'primary' }, b.label)
        : el(
            'button',
            { type: 'button', class: primaryFirst && i === 0 ? 'primary' : '', onclick: () => send({ action: b.action }, b.label) },
            b.label,
          ),
    ),
  );
}

/** An image that turns into a neutral placeholder when it cannot load. */
function image(src, alt, cls = '') {
  const img = el('img', { src, alt, loading: 'lazy', class: cls });
  img.addEventListener('error', () => img.replaceWith(el('div', { class: 'img-missing', role: 'img', 'aria-label': alt })));
  return img;
}

function card(item) {
  return el(
    'article',
    { class: 'card' },
    item.imageUrl ? image(item.imageUrl, item.title) : el('div', { class: 'img-missing' }),
    el(
      'div',
      { class: 'card__body' },
      el('div', { class: 'card__title' }, item.title),
      el('div', { class: 'card__price' }, item.priceText, item.compareAtText ? el('s', {}, item.compareAtText) : null),
      el('div', { class: 'card__stock' }, item.stockHint),
      buttons(item.buttons),
    ),
  );
}

const renderers = {
  text: (r) => [r.text, buttons(r.buttons)],
  image: () => null, // the product reply shows the image itself
  products: (r) => [el('strong', {}, r.title), el('div', { class: 'cards' }, r.items.map(card)), buttons(r.buttons)],
  product: (r) => [r.product.imageUrl ? image(r.product.imageUrl, r.product.title, 'hero') : null, r.text, buttons(r.buttons, true)],
  cart: (r) => [
    el('strong', {}, r.text),
    el(
      'ul',
      { class: 'cart-lines' },
      r.lines.map((l) => el('li', {}, el('span', {}, `${l.quantity} × ${l.title}`), el('span', {}, l.lineTotalText))),
    ),
    el('div', { class: 'total' }, r.totalText),
    buttons(r.buttons, true),
  ],
  compare: (r) => [
    el('strong', {}, r.title),
    el(
      'div',
      { class: 'scroll-x' },
      el(
        'table',
        { class: 'compare' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, ''),
            r.columns.map((c) => el('th', {}, c)),
          ),
        ),
        el(
          'tbody',
          {},
          r.rows.map((row) =>
            el(
              'tr',
              {},
              el('th', {}, row.label),
              row.values.map((v) => el('td', {}, v)),
            ),
          ),
        ),
      ),
    ),
    buttons(r.buttons),
  ],
  checkout: (r) => [r.text, buttons(r.buttons)],
  orders: (r) => [r.text, buttons(r.buttons)],
};

function show(reply) {
  const render = renderers[reply.type] ?? ((r) => [r.text ?? JSON.stringify(r)]);
  const content = render(reply);
  if (!content) return;
  log.append(el('div', { class: `msg msg--bot ${reply.type === 'product' ? 'product' : ''}` }, content));
}

function say(text, cls = 'msg--me') {
  log.append(el('div', { class: `msg ${cls}` }, text));
}

async function send(body, echo) {
  if (echo) say(echo);
  const typing = el('div', { class: 'typing' }, '…');
  log.append(typing);
  log.scrollTop = log.scrollHeight;
  try {
    const res = await fetch(`/api/v1/stores/${encodeURIComponent(store)}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, locale, ...body }),
    });
    const data = await res.json();
    typing.remove();
    if (!res.ok) return say(data.error?.message ?? 'Something went wrong.', 'msg--bot msg--error');
    data.replies.forEach(show);
  } catch {
    typing.remove();
    say('The shop cannot be reached. Check your connection and try again.', 'msg--bot msg--error');
  }
  log.scrollTop = log.scrollHeight;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text }, text);
});

fetch(`/api/v1/stores/${encodeURIComponent(store)}`)
  .then((r) => (r.ok ? r.json() : null))
  .then((s) => {
    if (s) {
      document.getElementById('store-name').textContent = s.name;
      document.title = s.name;
    }
  });
// ?q=… opens the chat with a search, e.g. a link from a product page or a post.
send({ text: 'hi' }).then(() => {
  const q = params.get('q');
  if (q) send({ text: q }, q);
});
