import fastJsonStringify from 'fast-json-stringify';
import type { FastifyBaseLogger, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType, type JSONSchema } from 'zod/v4/core';

/**
 * Response serialization from each route's zod response schema turned into JSON Schema once, at
 * start-up, and compiled by fast-json-stringify (fastify's own serializer). A response is written
 * straight from the schema instead of being parsed by zod first: unknown keys are left out (every
 * object lists its properties), Dates become ISO 8601 strings, defaults fill absent fields and a
 * missing required field still fails the response. Zod stays the validator of requests and the
 * source of the OpenAPI document.
 *
 * A schema whose output JSON Schema cannot say what zod would write (a transform, a preprocess or
 * codec, a trimming or lower-casing check, a caught value, a Map or BigInt) keeps zod's serializer
 * for that route; each such route is logged once at debug level when it is compiled.
 */

type Serialize = (data: unknown) => string;
type JsonNode = JSONSchema.BaseSchema;
type ResponseSchema = $ZodType | { properties: $ZodType } | Record<string, unknown>;

/** Why a schema is serialized by zod rather than from its JSON Schema. */
export class UnconvertibleSchema extends Error {}

/** Keywords that only validate: they never change the bytes written, so the serializer drops them. */
const VALIDATION_ONLY = new Set([
  '$schema',
  '$comment',
  'title',
  'description',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'contentEncoding',
  'contentMediaType',
]);

/** The formats fast-json-stringify writes differently (a Date as an ISO date, time or date-time). */
const WRITTEN_FORMATS = new Set(['date-time', 'date', 'time']);

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = ['additionalProperties', 'additionalItems', 'items', 'if', 'then', 'else'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'items'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs'];

/**
 * Marks the zod schemas whose parsed output differs from their input in a way JSON Schema cannot
 * carry, so the route keeps zod's serializer.
 */
function refuseRewritingSchemas(zodSchema: $ZodType) {
  const def = zodSchema._zod.def as {
    type: string;
    in?: $ZodType;
    checks?: Array<{ _zod: { def: { check: string } } }>;
  };
  if (zodSchema._zod.traits.has('$ZodCodec')) throw new UnconvertibleSchema('a codec rewrites the value');
  if (def.type === 'pipe' && def.in?._zod.traits.has('$ZodTransform'))
    throw new UnconvertibleSchema('a preprocess rewrites the value');
  if (def.type === 'catch') throw new UnconvertibleSchema('a caught value replaces an invalid one');
  if (def.checks?.some((check) => check._zod.def.check === 'overwrite'))
    throw new UnconvertibleSchema('a check (trim, case) rewrites the value');
}

/** The JSON Schema of what zod's parse of `schema` outputs, or UnconvertibleSchema. */
export function toOutputJsonSchema(schema: $ZodType): JsonNode {
  try {
    return z.toJSONSchema(schema, {
      target: 'draft-7',
      io: 'output',
      // Metadata (descriptions, ids) would only move definitions around; none of it is written.
      metadata: z.registry(),
      cycles: 'ref',
      reused: 'inline',
      unrepresentable: ({ zodSchema, message }) => {
        // zod parses a Date to a Date and JSON.stringify writes its ISO string: so does a date-time.
        if (zodSchema._zod.def.type === 'date') return { type: 'string', format: 'date-time' };
        throw new UnconvertibleSchema(message);
      },
      override: ({ zodSchema }) => refuseRewritingSchemas(zodSchema),
    });
  } catch (error) {
    if (error instanceof UnconvertibleSchema) throw error;
    throw new UnconvertibleSchema(error instanceof Error ? error.message : String(error));
  }
}

function isNullSchema(node: unknown): boolean {
  return (
    typeof node === 'object' &&
    node !== null &&
    Object.keys(node).length === 1 &&
    (node as JsonNode).type === 'null'
  );
}

function isCombinator(node: JsonNode): boolean {
  return (
    node.anyOf !== undefined ||
    node.oneOf !== undefined ||
    node.allOf !== undefined ||
    node.$ref !== undefined ||
    node.if !== undefined
  );
}

/**
 * Rewrites an output JSON Schema into the one the serializer compiles: validation-only keywords
 * go, `additionalProperties: false` goes (fast-json-stringify writes only the listed properties
 * either way, and without it a union's branch is chosen like zod chooses it, ignoring extra keys),
 * and `anyOf: [X, null]` becomes `X` with `nullable`, which is written without a validation pass.
 */
export function forSerialization(input: JsonNode | boolean): JsonNode | boolean {
  if (typeof input === 'boolean') return input;
  if (input.not !== undefined) throw new UnconvertibleSchema('a `not` (never) has nothing to write');
  const node: JsonNode = {};
  for (const [key, value] of Object.entries(input)) {
    if (VALIDATION_ONLY.has(key)) continue;
    if (key === 'format' && !WRITTEN_FORMATS.has(value as string)) continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (SCHEMA_MAP_KEYWORDS.includes(key)) {
      const mapped: Record<string, JsonNode | boolean> = {};
      for (const [name, schema] of Object.entries(value as Record<string, JsonNode>))
        Object.defineProperty(mapped, name, {
          value: forSerialization(schema),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      node[key] = mapped;
    } else if (SCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(value)) {
      node[key] = (value as JsonNode[]).map((schema) => forSerialization(schema));
    } else if (SCHEMA_KEYWORDS.includes(key) && typeof value === 'object' && value !== null) {
      node[key] = forSerialization(value as JsonNode);
    } else {
      node[key] = value;
    }
  }
  return collapseNullable(node);
}

function collapseNullable(node: JsonNode): JsonNode {
  const branches = node.anyOf;
  if (!branches || branches.length !== 2) return node;
  const nullIndex = branches.findIndex(isNullSchema);
  if (nullIndex === -1) return node;
  const other = branches[1 - nullIndex];
  if (typeof other !== 'object' || isCombinator(other) || other.nullable !== undefined) return node;
  const { anyOf: _anyOf, ...siblings } = node;
  if (Object.keys(siblings).some((key) => key in other && key !== 'default')) return node;
  return { ...siblings, ...other, nullable: true };
}

/**
 * Compiled serializers by the text of their JSON Schema: a schema built inside a route plugin is a
 * new object in every app, but the same few hundred schemas, so each is compiled once per process.
 */
const compiledByText = new Map<string, Serialize>();

/** Compiled serializers by response schema: most schemas serve many routes (and many apps in tests). */
const compiled = new WeakMap<object, Serialize | UnconvertibleSchema>();

function compile(schema: ResponseSchema): Serialize {
  const zodSchema =
    schema instanceof $ZodType
      ? schema
      : schema.properties instanceof $ZodType
        ? schema.properties
        : undefined;
  const jsonSchema = zodSchema ? forSerialization(toOutputJsonSchema(zodSchema)) : schema;
  const key = JSON.stringify(jsonSchema);
  let serialize = compiledByText.get(key);
  if (serialize) return serialize;
  try {
    serialize = fastJsonStringify(jsonSchema as unknown as fastJsonStringify.Schema);
  } catch (error) {
    throw new UnconvertibleSchema(
      `fast-json-stringify refused it: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  compiledByText.set(key, serialize);
  return serialize;
}

function serializerFor(schema: ResponseSchema): Serialize | UnconvertibleSchema {
  let entry = compiled.get(schema);
  if (entry === undefined) {
    try {
      entry = compile(schema);
    } catch (error) {
      if (!(error instanceof UnconvertibleSchema)) throw error;
      entry = error;
    }
    compiled.set(schema, entry);
  }
  return entry;
}

/**
 * The serializer compiler for the app: fast-json-stringify from each response schema, or zod's
 * serializer (logged once per route and status at debug) where the schema cannot be converted.
 */
export function responseSerializerCompiler(
  log?: Pick<FastifyBaseLogger, 'debug'>,
): FastifySerializerCompiler<ResponseSchema> {
  return (route) => {
    const serialize = serializerFor(route.schema);
    if (!(serialize instanceof UnconvertibleSchema)) return serialize;
    log?.debug(
      { method: route.method, url: route.url, status: route.httpStatus, reason: serialize.message },
      'response schema kept on the zod serializer',
    );
    return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
  };
}
