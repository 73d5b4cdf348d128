/**
 * `npm run bench:hc`: the help center's search on SQLite (FTS5) and PostgreSQL (tsvector + GIN).
 *
 * Generates BENCH_HC_ARTICLES articles (default 10,000), each with an English and a French
 * translation written from templates of a maintenance-management help center (work orders, assets,
 * meters, purchase orders…) and a few thousand invented product names, so that the vocabulary
 * has the long tail real help centers have. Audiences: 70% public, 20% signed-in, 10% for tiers.
 * The documents are indexed through HelpCenterSearch.index in transactions of 100, then:
 *
 * - search: site searches ('all' mode, 10 per page) of one to three words from a title, half English
 *   and half French, by a signed-in premium customer;
 * - search with typos: the same with one word misspelled (a letter dropped, doubled, swapped or
 *   replaced), so that each goes through the trigram correction;
 * - suggestions: a ticket's subject and description (about 60 words) as an 'any' query, 5 results.
 *
 * Each is timed alone (median and p95) after a warm-up. Environment: BENCH_HC_ARTICLES,
 * BENCH_HC_QUERIES (per kind, default 300), BENCH_HC_DATABASES (sqlite,postgres), BENCH_DATABASE_URL,
 * BENCH_KEEP=1.
 */
import type { DialectName } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createHelpCenterSearch } from '../src/helpcenter/search/index.js';
import type { HcLocale, SearchDocument, SearchQuery, SearchViewer } from '../src/helpcenter/search/types.js';
import type { Tier } from '../src/policy/tiers.js';
import { newId } from '../src/shared/ids.js';
import {
  createLog,
  dialectsEnv,
  eachDatabase,
  int,
  intEnv,
  LABEL,
  machine,
  ms,
  openTarget,
  runBenchmark,
  settleDatabase,
} from './support/common.js';
import { rng } from './support/desk.js';

const ARTICLES = intEnv('BENCH_HC_ARTICLES', 10_000);
const QUERIES = intEnv('BENCH_HC_QUERIES', 300);
const WARMUP = 30;
const BATCH = 100;
const log = createLog(10);

// ---------------------------------------------------------------------------------------------
// The corpus: parallel English and French phrases, so that each article's translations say the same.

type Pair = readonly [en: string, fr: string];

const OBJECTS: readonly Pair[] = [
  ['work order', 'un ordre de travail'],
  ['technician', 'un technicien'],
  ['asset', 'un équipement'],
  ['preventive maintenance plan', 'un plan de maintenance préventive'],
  ['report', 'un rapport'],
  ['invoice', 'une facture'],
  ['sensor', 'un capteur'],
  ['checklist', 'une liste de contrôle'],
  ['spare part', 'une pièce détachée'],
  ['purchase order', 'un bon de commande'],
  ['site', 'un site'],
  ['meter reading', 'un relevé de compteur'],
  ['dashboard', 'un tableau de bord'],
  ['user account', 'un compte utilisateur'],
  ['password', 'le mot de passe'],
  ['notification', 'une notification'],
  ['barcode label', 'une étiquette code-barres'],
  ['inspection', 'une inspection'],
  ['service contract', 'un contrat de service'],
  ['supplier', 'un fournisseur'],
  ['warranty', 'une garantie'],
  ['electronic signature', 'une signature électronique'],
  ['photo', 'une photo'],
  ['planning calendar', 'le calendrier de planification'],
  ['team', 'une équipe'],
  ['permission', 'un droit d’accès'],
  ['import file', 'un fichier d’import'],
  ['API key', 'une clé d’API'],
  ['single sign-on', 'l’authentification unique'],
  ['intervention request', 'une demande d’intervention'],
];

const VERBS: readonly Pair[] = [
  ['Create', 'Créer'],
  ['Edit', 'Modifier'],
  ['Delete', 'Supprimer'],
  ['Export', 'Exporter'],
  ['Import', 'Importer'],
  ['Assign', 'Attribuer'],
  ['Archive', 'Archiver'],
  ['Synchronize', 'Synchroniser'],
  ['Configure', 'Configurer'],
  ['Print', 'Imprimer'],
  ['Share', 'Partager'],
  ['Restore', 'Restaurer'],
  ['Approve', 'Approuver'],
  ['Schedule', 'Planifier'],
  ['Close', 'Clôturer'],
];

const MODULES: readonly Pair[] = [
  ['Settings', 'Paramètres'],
  ['Reports', 'Rapports'],
  ['Assets', 'Équipements'],
  ['Work orders', 'Ordres de travail'],
  ['Purchasing', 'Achats'],
  ['Inventory', 'Stock'],
  ['Planning', 'Planification'],
  ['Team', 'Équipe'],
];

const PROBLEMS: readonly Pair[] = [
  ['does not synchronize', 'ne se synchronise pas'],
  ['shows the wrong date', 'affiche une mauvaise date'],
  ['is missing after an import', 'manque après un import'],
  ['cannot be deleted', 'ne peut pas être supprimé'],
  ['is slow to load', 'est lent à charger'],
];

/** Sentence templates: {o} and {o2} objects, {m} a module, {v} a verb, {n} a number, {p} a product. */
const SENTENCES: readonly Pair[] = [
  ['Open {m}, select the {o} and choose {v}.', 'Ouvrez {m}, sélectionnez {o} puis choisissez {v}.'],
  [
    'Only administrators and planners can {v} a {o}.',
    'Seuls les administrateurs et les planificateurs peuvent {v} {o}.',
  ],
  [
    'When a {o} is linked to a {o2}, the change applies to both.',
    'Lorsque {o} est lié à {o2}, la modification s’applique aux deux.',
  ],
  [
    'If the {o} does not appear, check the filters at the top of the list and the site you are working on.',
    'Si {o} n’apparaît pas, vérifiez les filtres en haut de la liste et le site sur lequel vous travaillez.',
  ],
  [
    'The {p} model records up to {n} readings per day.',
    'Le modèle {p} enregistre jusqu’à {n} relevés par jour.',
  ],
  [
    'Changes reach the mobile app within {n} seconds when the device is online.',
    'Les modifications arrivent sur l’application mobile en {n} secondes lorsque l’appareil est en ligne.',
  ],
  [
    'You can undo this for {n} days from the history panel.',
    'Vous pouvez annuler cette action pendant {n} jours depuis l’historique.',
  ],
  [
    'Technicians see the {o} on their phone as soon as it is assigned to them.',
    'Les techniciens voient {o} sur leur téléphone dès qu’il leur est attribué.',
  ],
  [
    'Large exports run in the background and are emailed to you when they are ready.',
    'Les exports volumineux sont préparés en arrière-plan et vous sont envoyés par courriel.',
  ],
  [
    'A {o} cannot be deleted once it has been approved; archive it instead.',
    'Une fois approuvé, {o} ne peut plus être supprimé : archivez-le plutôt.',
  ],
  [
    'The {p} gateway forwards sensor data to the {o} every {n} minutes.',
    'La passerelle {p} transmet les données des capteurs vers {o} toutes les {n} minutes.',
  ],
  [
    'Permissions are set per site in {m}, under Roles.',
    'Les droits se règlent par site dans {m}, rubrique Rôles.',
  ],
  [
    'Attach a photo or a signature to prove that the {o} was completed.',
    'Joignez une photo ou une signature pour prouver que {o} a été réalisé.',
  ],
  [
    'Offline changes are kept on the device and sent when the connection comes back.',
    'Les modifications hors ligne restent sur l’appareil et partent au retour de la connexion.',
  ],
  [
    'Reports can be filtered by site, team, asset category and period.',
    'Les rapports se filtrent par site, équipe, catégorie d’équipement et période.',
  ],
];

const SYLLABLES = [
  'val',
  'tor',
  'mex',
  'dra',
  'lin',
  'quo',
  'sen',
  'bri',
  'kor',
  'pha',
  'zel',
  'rum',
  'tik',
  'nov',
  'gra',
  'sul',
];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function productNames(random: Random, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const parts = 2 + Math.floor(random() * 2);
    let name = '';
    for (let i = 0; i < parts; i++) name += pick(random, SYLLABLES);
    names.add(name[0]!.toUpperCase() + name.slice(1));
  }
  return [...names];
}

/** A sentence template in one locale, its blanks filled at random. */
function fill(template: string, locale: HcLocale, random: Random, products: readonly string[]): string {
  const index = locale === 'en' ? 0 : 1;
  return template
    .replaceAll('{o2}', pick(random, OBJECTS)[index])
    .replaceAll('{o}', pick(random, OBJECTS)[index])
    .replaceAll('{m}', pick(random, MODULES)[index])
    .replaceAll('{v}', pick(random, VERBS)[index].toLowerCase())
    .replaceAll('{n}', String(2 + Math.floor(random() * 120)))
    .replaceAll('{p}', pick(random, products));
}

interface Article {
  en: SearchDocument;
  fr: SearchDocument;
}

function generateArticle(random: Random, products: readonly string[]): Article {
  const object = pick(random, OBJECTS);
  const verb = pick(random, VERBS);
  const product = pick(random, products);
  const known = random() < 0.15;
  const problem = pick(random, PROBLEMS);
  const titles: Pair = known
    ? [`${product}: the ${object[0]} ${problem[0]}`, `${product} : ${object[1]} ${problem[1]}`]
    : random() < 0.5
      ? [`${verb[0]} a ${object[0]}`, `${verb[1]} ${object[1]}`]
      : [`${verb[0]} a ${object[0]} with ${product}`, `${verb[1]} ${object[1]} avec ${product}`];
  const sentences = 6 + Math.floor(random() * 9);
  const seed = Math.floor(random() * 2 ** 31);
  // The same seed for both bodies: the French one says what the English one does.
  const body = (locale: HcLocale) => {
    const own = rng(seed);
    const parts: string[] = [];
    for (let i = 0; i < sentences; i++)
      parts.push(fill(pick(own, SENTENCES)[locale === 'en' ? 0 : 1], locale, own, products));
    return parts.join(' ');
  };
  const audienceRoll = random();
  const audience = audienceRoll < 0.7 ? 'public' : audienceRoll < 0.9 ? 'signed_in' : 'tiers';
  const tiers: Tier[] =
    audience === 'tiers' ? (random() < 0.5 ? ['premium', 'enterprise'] : ['enterprise']) : [];
  const articleId = newId();
  const translation = (locale: HcLocale, title: string): SearchDocument => ({
    translationId: newId(),
    articleId,
    locale,
    kind: known ? 'known_issue' : 'article',
    audience,
    tiers,
    title,
    text: body(locale),
  });
  return { en: translation('en', titles[0]), fr: translation('fr', titles[1]) };
}

// ---------------------------------------------------------------------------------------------
// Queries

function misspell(random: Random, word: string): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]!;
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    case 2:
      return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
    default:
      return word.slice(0, i) + letter + word.slice(i + 1);
  }
}

const STOP = new Set(['a', 'the', 'with', 'un', 'une', 'le', 'la', 'avec', 'de', 'd', 'l']);

function titleQuery(random: Random, doc: SearchDocument, typo: boolean): string {
  const words = doc.title
    .split(/[^\p{L}\p{N}]+/u)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 0 && !STOP.has(w));
  const start = Math.floor(random() * words.length);
  const chosen = words.slice(start, start + 1 + Math.floor(random() * 3));
  if (typo) {
    // Words of six letters or more, which two edits may correct; every title has one.
    const long = chosen.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 6);
    const elsewhere = words.filter((w) => w.length >= 6);
    if (long.length > 0) {
      const [w, i] = pick(random, long);
      chosen[i] = misspell(random, w);
    } else if (elsewhere.length > 0) chosen.push(misspell(random, pick(random, elsewhere)));
  }
  return chosen.join(' ');
}

const OPENINGS: readonly Pair[] = [
  ['Hello, since this morning', 'Bonjour, depuis ce matin'],
  ['Hi team, after the last update', 'Bonjour, depuis la dernière mise à jour'],
  ['Good afternoon, one of our technicians reports that', 'Bonjour, un de nos techniciens signale que'],
];

function ticketText(random: Random, products: readonly string[]): { text: string; locale: HcLocale } {
  const locale: HcLocale = random() < 0.5 ? 'en' : 'fr';
  const index = locale === 'en' ? 0 : 1;
  const object = pick(random, OBJECTS)[index];
  const subject =
    locale === 'en'
      ? `${pick(random, PROBLEMS)[0]}: ${object} in ${pick(random, MODULES)[0]}`
      : `${object} ${pick(random, PROBLEMS)[1]} dans ${pick(random, MODULES)[1]}`;
  const parts = [subject, pick(random, OPENINGS)[index]];
  for (let i = 0; i < 4; i++) parts.push(fill(pick(random, SENTENCES)[index], locale, random, products));
  parts.push(
    locale === 'en' ? 'Can you help us? Thanks in advance.' : 'Pouvez-vous nous aider ? Merci d’avance.',
  );
  return { text: parts.join(' '), locale };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Timing {
  median: number;
  p95: number;
  /** Share of queries with at least one hit. */
  found: number;
  /** Share of queries reported as corrected. */
  corrected: number;
}

interface Figures {
  dialect: DialectName;
  engine: string;
  documents: number;
  indexSeconds: number;
  vocabulary: number;
  search: Timing;
  typos: Timing;
  suggestions: Timing;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function time(
  search: ReturnType<typeof createHelpCenterSearch>,
  queries: readonly SearchQuery[],
): Promise<Timing> {
  for (const q of queries.slice(0, WARMUP)) await search.search(q);
  const times: number[] = [];
  let found = 0;
  let corrected = 0;
  for (const q of queries) {
    const started = performance.now();
    const result = await search.search(q);
    times.push(performance.now() - started);
    if (result.hits.length > 0) found++;
    if (result.correctedQuery !== null) corrected++;
  }
  times.sort((a, b) => a - b);
  return {
    median: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    found: found / queries.length,
    corrected: corrected / queries.length,
  };
}

async function measure(dialect: DialectName): Promise<Figures | undefined> {
  log.stage = LABEL[dialect];
  const target = await openTarget(dialect, { log, tmpPrefix: 'accord-bench-hc-', schemaPrefix: 'bench_hc' });
  if (!target) return undefined;
  try {
    await migrateToLatest(target.db);
    const search = createHelpCenterSearch(target.db.kysely, dialect);
    const random = rng(20261126);
    const products = productNames(random, 3000);
    const articles = Array.from({ length: ARTICLES }, () => generateArticle(random, products));
    const documents = articles.flatMap((a) => [a.en, a.fr]);
    log(`${target.engine}: indexing ${int(documents.length)} translations of ${int(ARTICLES)} articles`);
    const started = performance.now();
    for (let i = 0; i < documents.length; i += BATCH) {
      await target.db.kysely.transaction().execute(async (trx) => {
        for (const doc of documents.slice(i, i + BATCH)) await search.index(trx, doc);
      });
      if ((i / BATCH) % 40 === 39) log(`  ${int(i + BATCH)} indexed`);
    }
    const indexSeconds = (performance.now() - started) / 1000;
    await settleDatabase(target.db, ['hc_search_documents', 'hc_search_words', 'hc_search_trigrams']);
    const vocabulary = await target.db.kysely
      .withTables<{ hc_search_words: { word: string } }>()
      .selectFrom('hc_search_words')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    log(`indexed in ${indexSeconds.toFixed(1)} s; ${int(Number(vocabulary.n))} vocabulary words`);

    const viewer: SearchViewer = { signedIn: true, staff: false, tier: 'premium' };
    const queryRandom = rng(7);
    const siteQuery = (typo: boolean): SearchQuery => {
      const article = pick(queryRandom, articles);
      const doc = queryRandom() < 0.5 ? article.en : article.fr;
      return { text: titleQuery(queryRandom, doc, typo), locale: doc.locale, viewer, limit: 10, mode: 'all' };
    };
    const plain = Array.from({ length: QUERIES }, () => siteQuery(false));
    const typos = Array.from({ length: QUERIES }, () => siteQuery(true));
    const tickets = Array.from({ length: QUERIES }, (): SearchQuery => {
      const { text, locale } = ticketText(queryRandom, products);
      return { text, locale, viewer, limit: 5, mode: 'any' };
    });
    log(`timing ${int(QUERIES)} queries of each kind`);
    const figures: Figures = {
      dialect,
      engine: target.engine,
      documents: documents.length,
      indexSeconds,
      vocabulary: Number(vocabulary.n),
      search: await time(search, plain),
      typos: await time(search, typos),
      suggestions: await time(search, tickets),
    };
    return figures;
  } finally {
    await target.cleanup();
  }
}

function table(results: Figures[]) {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const timing = (t: Timing) => `${ms(t.median)} / ${ms(t.p95)}`;
  const rows: string[][] = [
    ['', ...results.map((r) => LABEL[r.dialect])],
    ['translations indexed', ...results.map((r) => int(r.documents))],
    [
      'indexing',
      ...results.map((r) => `${int(r.documents / r.indexSeconds)} docs/s (${r.indexSeconds.toFixed(0)} s)`),
    ],
    ['vocabulary words', ...results.map((r) => int(r.vocabulary))],
    ['search, median / p95', ...results.map((r) => timing(r.search))],
    ['  found something', ...results.map((r) => pct(r.search.found))],
    ['search with a typo, median / p95', ...results.map((r) => timing(r.typos))],
    [
      '  corrected, found something',
      ...results.map((r) => `${pct(r.typos.corrected)}, ${pct(r.typos.found)}`),
    ],
    ['suggestions (any, 5), median / p95', ...results.map((r) => timing(r.suggestions))],
    ['  found something', ...results.map((r) => pct(r.suggestions.found))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('   '));
  return lines.join('\n');
}

runBenchmark(async () => {
  process.stdout.write(
    `help center search benchmark: ${int(ARTICLES)} articles in English and French, ${int(QUERIES)} queries of each kind; ${machine()}\n`,
  );
  const results = await eachDatabase(dialectsEnv('BENCH_HC_DATABASES'), measure);
  if (!results) return;
  const measured = results.filter((r): r is Figures => r !== undefined);
  process.stdout.write(`\n${table(measured)}\n\n`);
  for (const r of measured) process.stdout.write(`${LABEL[r.dialect]}: ${r.engine}\n`);
});
