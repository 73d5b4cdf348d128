import fs from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { tierSchema } from '../policy/tiers.js';
import { Problem } from '../shared/problem.js';
import {
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  AUDIENCES,
  HC_LOCALES,
  ISSUE_STATUSES,
  type HcLocale,
} from './model.js';
import type { HelpCenterRepository } from './repository.js';
import { keySchema, slugSchema, type ArticleUpdate, type TranslationInput } from './schema.js';
import type { HelpCenterService } from './service.js';
import type { HelpCenterStructure } from './structure-service.js';

const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 20_000;

const localized = z.partialRecord(z.enum(HC_LOCALES), z.string().trim().min(1).max(500));
const categoriesFile = z.array(
  z.strictObject({
    key: keySchema,
    title: localized,
    description: localized.optional(),
    position: z.number().int().min(0).optional(),
    sections: z
      .array(
        z.strictObject({ key: keySchema, title: localized, position: z.number().int().min(0).optional() }),
      )
      .default([]),
  }),
);

const frontMatter = z.strictObject({
  key: keySchema,
  locale: z.enum(HC_LOCALES),
  kind: z.enum(ARTICLE_KINDS).default('article'),
  title: z.string().trim().min(1).max(200),
  slug: slugSchema.optional(),
  summary: z.string().trim().max(300).optional(),
  section: keySchema.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  status: z.enum(ARTICLE_STATUSES).default('published'),
  audience: z.enum(AUDIENCES).default('public'),
  tiers: z.array(tierSchema).optional(),
  issueStatus: z.enum(ISSUE_STATUSES).optional(),
  affectedArea: z.string().trim().max(120).optional(),
  fixedIn: z.union([z.string(), z.number()]).transform(String).optional(),
  symptom: z.string().trim().max(1000).optional(),
  workaround: z.string().max(50_000).optional(),
});
type FrontMatter = z.infer<typeof frontMatter>;

export interface ImportReport {
  categories: number;
  sections: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { file: string; message: string }[];
}

interface ParsedFile {
  file: string;
  meta: FrontMatter;
  body: string;
}

async function markdownFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(full);
      if (found.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} Markdown files`);
    }
  };
  await walk(dir);
  return found.sort();
}

const explain = (error: unknown): string => {
  if (error instanceof z.ZodError)
    return error.issues.map((i) => `${i.path.join('.') || '(front matter)'}: ${i.message}`).join('; ');
  if (error instanceof Problem) return error.detail;
  return error instanceof Error ? error.message : String(error);
};

/**
 * Imports a help center from a folder: `_categories.yaml` for the structure, and Markdown files with
 * front matter, one per article and locale, linked by `key`. Running it again updates what changed
 * and leaves the rest; a bad file is reported and the others are imported.
 */
export async function importHelpCenter(
  dir: string,
  deps: { helpCenter: HelpCenterService; structure: HelpCenterStructure; repo: HelpCenterRepository },
  actor: Principal,
): Promise<ImportReport> {
  const report: ImportReport = {
    categories: 0,
    sections: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
  };
  const relative = (file: string) => path.relative(dir, file) || file;

  const categoriesPath = path.join(dir, '_categories.yaml');
  const structure = await fs.readFile(categoriesPath, 'utf8').catch(() => null);
  if (structure !== null) {
    try {
      const categories = categoriesFile.parse(YAML.parse(structure));
      for (const [i, c] of categories.entries()) {
        const existing = await deps.repo.findCategoryByKey(c.key);
        const fields = { position: c.position ?? i, titles: c.title, descriptions: c.description ?? {} };
        const category = existing
          ? await deps.structure.updateCategory(actor, existing.id, fields)
          : await deps.structure.createCategory(actor, { key: c.key, ...fields });
        report.categories += 1;
        for (const [j, s] of c.sections.entries()) {
          const section = await deps.repo.findSectionByKey(s.key);
          const sectionFields = { categoryId: category.id, position: s.position ?? j, titles: s.title };
          if (section) await deps.structure.updateSection(actor, section.id, sectionFields);
          else await deps.structure.createSection(actor, { key: s.key, ...sectionFields });
          report.sections += 1;
        }
      }
    } catch (error) {
      report.errors.push({ file: '_categories.yaml', message: explain(error) });
    }
  }

  const byKey = new Map<string, ParsedFile[]>();
  for (const file of await markdownFiles(dir)) {
    try {
      const stat = await fs.stat(file);
      if (stat.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      const parsed = matter(await fs.readFile(file, 'utf8'));
      const meta = frontMatter.parse(parsed.data);
      const group = byKey.get(meta.key) ?? [];
      if (group.some((g) => g.meta.locale === meta.locale))
        throw new Error(`a second ${meta.locale} file for the key "${meta.key}"`);
      group.push({ file, meta, body: parsed.content.trim() });
      byKey.set(meta.key, group);
    } catch (error) {
      report.errors.push({ file: relative(file), message: explain(error) });
    }
  }

  for (const [key, files] of byKey) {
    // The English file, when there is one, says what the article is; translations follow its lead.
    const lead = files.find((f) => f.meta.locale === 'en') ?? files[0]!;
    try {
      const section = lead.meta.section ? await deps.repo.findSectionByKey(lead.meta.section) : undefined;
      if (lead.meta.section && !section) throw new Error(`unknown section "${lead.meta.section}"`);
      const fields: ArticleUpdate = {
        sectionId: section?.id ?? null,
        audience: lead.meta.audience,
        ...(lead.meta.tiers ? { tiers: lead.meta.tiers } : {}),
        ...(lead.meta.position !== undefined ? { position: lead.meta.position } : {}),
        ...(lead.meta.kind === 'known_issue'
          ? {
              issueStatus: lead.meta.issueStatus ?? 'investigating',
              fixedIn: lead.meta.fixedIn ?? null,
              affectedArea: lead.meta.affectedArea ?? null,
            }
          : {}),
      };
      const translations = Object.fromEntries(files.map((f) => [f.meta.locale, translationOf(f)])) as Partial<
        Record<HcLocale, TranslationInput>
      >;
      const existing = await deps.repo.findArticleByKey(key);
      if (!existing) {
        await deps.helpCenter.createArticle(actor, {
          key,
          kind: lead.meta.kind,
          status: lead.meta.status,
          ...fields,
          translations,
        });
        report.created += 1;
        continue;
      }
      let changed = false;
      const current = await deps.repo.translations([existing.id]);
      for (const f of files) {
        const input = translationOf(f);
        const t = current.find((c) => c.locale === f.meta.locale);
        const same =
          t &&
          t.title === input.title &&
          t.body_md === input.body &&
          (input.slug === undefined || t.slug === input.slug) &&
          (input.summary === undefined || t.summary === input.summary) &&
          (t.symptom ?? undefined) === input.symptom &&
          (t.workaround_md ?? undefined) === input.workaround;
        if (!same) {
          await deps.helpCenter.saveTranslation(actor, existing.id, f.meta.locale, input);
          changed = true;
        }
      }
      const sameFields =
        existing.section_id === (section?.id ?? null) &&
        existing.audience === lead.meta.audience &&
        existing.status === lead.meta.status &&
        (lead.meta.kind !== 'known_issue' ||
          (existing.issue_status === (lead.meta.issueStatus ?? 'investigating') &&
            existing.fixed_in === (lead.meta.fixedIn ?? null) &&
            existing.affected_area === (lead.meta.affectedArea ?? null)));
      if (
        !sameFields ||
        (lead.meta.tiers && JSON.stringify([...lead.meta.tiers].sort()) !== existing.audience_tiers)
      ) {
        await deps.helpCenter.updateArticle(actor, existing.id, { ...fields, status: lead.meta.status });
        changed = true;
      }
      if (changed) report.updated += 1;
      else report.unchanged += 1;
    } catch (error) {
      report.errors.push({ file: files.map((f) => relative(f.file)).join(', '), message: explain(error) });
    }
  }
  return report;
}

function translationOf(f: ParsedFile): TranslationInput {
  return {
    title: f.meta.title,
    body: f.body,
    ...(f.meta.slug ? { slug: f.meta.slug } : {}),
    ...(f.meta.summary ? { summary: f.meta.summary } : {}),
    ...(f.meta.symptom ? { symptom: f.meta.symptom } : {}),
    ...(f.meta.workaround ? { workaround: f.meta.workaround.trim() } : {}),
  };
}
