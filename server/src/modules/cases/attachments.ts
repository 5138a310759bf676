import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, badRequest, notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { findCase, insertEvent } from './repository.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** What may be attached, judged by the bytes, never by the file name. */
const ALLOWED = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/gif', 'gif'],
  ['image/heic', 'heic'],
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['audio/mpeg', 'mp3'],
  ['audio/x-m4a', 'm4a'],
  ['video/mp4', 'mp4'],
]);

export async function sniff(content: Buffer): Promise<{ mime: string; ext: string } | null> {
  const type = await fileTypeFromBuffer(content);
  return type && ALLOWED.has(type.mime) ? { mime: type.mime, ext: type.ext } : null;
}

/** The uploaded name as a label: no path, no control or bidi-override characters, no quotes, at most 200 characters. */
export function attachmentLabel(uploaded: string): string {
  const base = uploaded.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '_').trim().slice(0, 200);
  return clean.replace(/^\.+/, '') || 'attachment';
}

/** The stored name: the label's stem with the extension of the type the bytes are (`evil.html` holding a GIF → `evil.gif`). */
export function storedName(label: string, ext: string): string {
  const stem = label.replace(/\.[^.]*$/, '').slice(0, 100) || 'attachment';
  return `${stem}.${ext}`;
}

const Attachment = Type.Object({
  id: Type.Integer(),
  fileName: Type.String({ description: 'the stored name, its extension that of the type sniffed from the bytes' }),
  label: Type.String({ description: 'the name it was uploaded under, sanitised' }),
  mimeType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
});
const Params = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export async function attachmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 } });

  app.post(
    '/api/cases/:id/attachments',
    {
      config: { auth: 'case:read' },
      schema: {
        tags: ['cases'],
        summary: '上传附件（图片、PDF、Office 文档，≤10 MB）/ Attach a file (multipart field `file`)',
        consumes: ['multipart/form-data'],
        params: Params,
        response: { 201: Attachment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await findCase(db, request.params.id, user);
      if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      if (!request.isMultipart()) throw badRequest('file', '请以 multipart/form-data 上传文件', 'Upload the file as multipart/form-data', 'invalid');
      let file;
      try {
        file = await request.file();
      } catch (err) {
        throw badRequest('file', `无法读取上传内容：${(err as Error).message}`, `The upload cannot be read: ${(err as Error).message}`, 'invalid');
      }
      if (!file) throw badRequest('file', '缺少文件', 'No file was sent', 'required');
      let content: Buffer;
      try {
        content = await file.toBuffer();
      } catch {
        throw new AppError(413, 'too_large', { zh: `文件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, en: `The file exceeds ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB` }, 'file');
      }
      if (content.length === 0) throw badRequest('file', '文件为空', 'The file is empty', 'invalid');
      const type = await sniff(content);
      if (!type) throw new AppError(415, 'unsupported_type', { zh: '只接受图片、PDF、Word/Excel 文档和音视频（按文件内容判断）', en: 'Only images, PDF, Word/Excel documents, audio and video are accepted (judged by content)' }, 'file');
      const sha256 = crypto.createHash('sha256').update(content).digest('hex');
      const label = attachmentLabel(file.filename);
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('case_attachment')
          .values({ case_id: c.id, file_name: storedName(label, type.ext), label, mime_type: type.mime, size_bytes: content.length, sha256, content, uploaded_by: user.id })
          .returning(['id', 'file_name', 'label', 'mime_type', 'size_bytes', 'uploaded_at'])
          .executeTakeFirstOrThrow();
        await insertEvent(trx, { caseId: c.id, actorId: user.id, actorName: user.displayName, action: 'attach', from: c.status, to: c.status, attachmentIds: [inserted.id], detail: { fileName: inserted.file_name, label: inserted.label } });
        await recordAudit(trx, { actorId: user.id, action: 'case.attach', entity: 'case', entityId: String(c.id), detail: { attachmentId: inserted.id, sha256 }, ip: request.ip });
        return inserted;
      });
      reply.status(201);
      return { id: row.id, fileName: row.file_name, label: row.label, mimeType: row.mime_type, sizeBytes: row.size_bytes, sha256, uploadedAt: row.uploaded_at.toISOString() };
    },
  );

  app.get(
    '/api/cases/:id/attachments/:attachmentId',
    {
      config: { auth: 'case:read' },
      schema: {
        tags: ['cases'],
        summary: '下载附件 / Download an attachment',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), attachmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
      },
    },
    async (request, reply) => {
      const c = await findCase(db, request.params.id, currentUser(request));
      if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      const a = await db.selectFrom('case_attachment').selectAll().where('id', '=', request.params.attachmentId).where('case_id', '=', c.id).executeTakeFirst();
      if (!a) throw notFound('附件不存在', 'Attachment not found');
      reply.header('Content-Type', a.mime_type);
      // always a download, never rendered by the browser: even a file that fooled the sniffer cannot run in the console's origin
      reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.file_name)}`);
      reply.header('Content-Security-Policy', "default-src 'none'; sandbox");
      reply.header('Cache-Control', 'private, max-age=0');
      return reply.send(a.content);
    },
  );
}
