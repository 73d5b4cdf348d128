import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest, Problem } from '../shared/problem.js';

export interface SingleUpload {
  filename: string;
  declaredType: string;
  data: Buffer;
  fields: Record<string, string>;
}

/**
 * Reads a multipart form holding exactly one file (field "file") and the named text fields.
 * A truncated or malformed form is the client's fault: it answers 400, never 500.
 */
export async function readSingleUpload(
  request: FastifyRequest,
  allowedFields: Record<string, z.ZodType<string>>,
): Promise<SingleUpload> {
  if (!request.isMultipart())
    throw badRequest('Send the file as multipart/form-data in a field named "file".');
  const fields: Record<string, string> = {};
  let file: Omit<SingleUpload, 'fields'> | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file)
          throw badRequest('Send exactly one file, in a field named "file".');
        file = { filename: part.filename, declaredType: part.mimetype, data: await part.toBuffer() };
        continue;
      }
      const schema = allowedFields[part.fieldname];
      if (!schema)
        throw badRequest(`Unknown form field ${part.fieldname}.`, [
          { field: `body.${part.fieldname}`, message: 'unknown field' },
        ]);
      const parsed = schema.safeParse(part.value);
      if (!parsed.success) {
        throw badRequest(`The form field ${part.fieldname} is not valid.`, [
          { field: `body.${part.fieldname}`, message: parsed.error.issues[0]?.message ?? 'invalid' },
        ]);
      }
      fields[part.fieldname] = parsed.data;
    }
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof Problem || (status !== undefined && status < 500)) throw error;
    throw badRequest(
      `The multipart form could not be read: ${error instanceof Error ? error.message : 'malformed'}.`,
    );
  }
  if (!file)
    throw badRequest('No file was sent; use a field named "file".', [
      { field: 'body.file', message: 'required' },
    ]);
  return { ...file, fields };
}
