import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Lang, langOf, inputFault } from '../../http/errors.js';
import { formatOf, sendErrors } from './wire.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldOf(e: AjvError): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') return [base, String(e.params.missingProperty)].filter(Boolean).join('.');
  return base;
}

function validationText(e: AjvError, field: string, lang: Lang): string {
  const zh = lang === 'zh';
  const limit = String(e.params.limit);
  switch (e.keyword) {
    case 'required':
      return zh ? `缺少必填参数 ${field}` : `${field} is required`;
    case 'type':
      return zh ? `${field} 应为 ${String(e.params.type)}` : `${field} must be of type ${String(e.params.type)}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return zh ? `${field} 不能小于 ${limit}` : `${field} must be >= ${limit}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return zh ? `${field} 不能大于 ${limit}` : `${field} must be <= ${limit}`;
    case 'minLength':
      return zh ? `${field} 至少 ${limit} 个字符` : `${field} must have at least ${limit} characters`;
    case 'maxLength':
      return zh ? `${field} 最多 ${limit} 个字符` : `${field} must have at most ${limit} characters`;
    default:
      return zh ? `${field} 取值无效` : `${field} has an invalid value`;
  }
}

/** Every error under /open311/ in the spec's shape, in the format the URL asked for, naming the argument at fault. */
export function open311ErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const format = formatOf(request.url);
  const lang = langOf(request);
  if (error instanceof AppError) {
    const text = error.text[lang];
    return sendErrors(reply, format, error.status, error.field && !text.includes(error.field) ? `${error.field}: ${text}` : text);
  }
  const fe = error as FastifyError & { validationContext?: string };
  const validation = fe.validation as AjvError[] | undefined;
  if (validation && validation.length > 0) {
    const first = validation.find((v) => v.keyword !== 'anyOf') ?? validation[0]!;
    const field = fieldOf(first) || fe.validationContext || 'body';
    if (fe.validationContext === 'params' && field === 'format') {
      return sendErrors(reply, format, 404, lang === 'zh' ? '仅支持 .xml 与 .json 格式' : 'Only the .xml and .json formats are served');
    }
    return sendErrors(reply, format, 400, validationText(first, field, lang));
  }
  const fault = inputFault(error);
  if (fault) return sendErrors(reply, format, fault.status, fault.text[lang]);
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendErrors(reply, format, status, fe.message);
  request.log.error({ err: error }, 'unhandled error in Open311');
  return sendErrors(reply, format, 500, lang === 'zh' ? '服务器内部错误，请稍后再试' : 'Internal server error; please try again later');
}

export function open311NotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0];
  return sendErrors(reply, formatOf(request.url), 404, langOf(request) === 'zh' ? `没有这个资源：${request.method} ${path}` : `No such resource: ${request.method} ${path}`);
}
