import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, Ok } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { currentUser } from '../auth/plugin.js';
import { PROVISIONAL_SOURCE } from './data.js';
import { type CalendarDay, deleteCalendarDay, findCalendarDay, listCalendar, setCalendarDay } from './repository.js';
import { calendarCache } from './service.js';
import { dayInput, LOCAL_ZONE, localDateOf, weekdayOf } from './local-time.js';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const ADMIN_SOURCE = '系统管理员维护';

const Kind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')], { description: 'holiday: 放假; workday: 调休上班' });
const DayParam = Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `YYYY-MM-DD, ${LOCAL_ZONE}` }) });

const Day = Type.Object({
  day: Type.String({ description: 'YYYY-MM-DD' }),
  kind: Kind,
  name: Type.String(),
  source: Type.String(),
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = 周一 Monday … 7 = 周日 Sunday' }),
  provisional: Type.Optional(Type.Boolean({ description: '按放假办法推算，待国务院办公厅通知 / derived, awaiting the notice' })),
});

const toItem = (d: CalendarDay) => ({
  day: d.day,
  kind: d.kind,
  name: d.name,
  source: d.source,
  weekday: weekdayOf(d.day),
  ...(d.source === PROVISIONAL_SOURCE ? { provisional: true } : {}),
});

/** A real date within the years Zhili accepts, else 400 naming the field. */
function checkDay(day: string, field: string) {
  const year = Number(dayInput(field, day).slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) throw badRequest(field, `年份须在 ${MIN_YEAR}–${MAX_YEAR} 之间`, `The year must be within ${MIN_YEAR}–${MAX_YEAR}`);
}

export async function calendarRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/calendar',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['calendar'],
        summary: '工作日历（节假日与调休）/ Holidays and make-up working days of a year',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR, description: 'default: this year' })) }),
        response: { 200: ListOf(Day), ...errorResponses },
      },
    },
    async (request) => {
      const year = request.query.year ?? Number(localDateOf(new Date()).slice(0, 4));
      const items = (await listCalendar(db, year)).map(toItem);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/calendar/deadline',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['calendar'],
        summary: '按工作日计算期限 / Deadline after N working days',
        description: '期限为开始时间所在日（北京时间）之后第 N 个工作日的 23:59:59.999 / the end of the Nth working day after the local date of start',
        querystring: Type.Object({
          start: Type.String({ format: 'date-time', description: 'ISO 8601 with offset, e.g. 2025-09-26T15:00:00+08:00' }),
          days: Type.Integer({ minimum: 0, maximum: 365 }),
        }),
        response: { 200: Type.Object({ deadline: Type.String({ format: 'date-time' }) }), ...errorResponses },
      },
    },
    async (request) => {
      const start = new Date(request.query.start);
      if (Number.isNaN(start.getTime())) throw badRequest('start', '开始时间格式不正确', 'start is not a valid date-time');
      checkDay(localDateOf(start), 'start');
      const calendar = await calendarCache.current(db);
      return { deadline: calendar.deadline(start, request.query.days).toISOString() };
    },
  );

  app.put(
    '/api/calendar/:day',
    {
      config: { auth: 'calendar:write' },
      schema: {
        tags: ['calendar'],
        summary: '设置节假日或调休上班日 / Set a holiday or make-up working day',
        params: DayParam,
        body: Type.Object({
          kind: Kind,
          name: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. 春节' }),
          source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'e.g. 国办发明电〔2024〕12号' })),
        }),
        response: { 200: Day, ...errorResponses },
      },
    },
    async (request) => {
      const { day } = request.params;
      checkDay(day, 'day');
      const { kind, name } = request.body;
      const source = request.body.source ?? ADMIN_SOURCE;
      const user = currentUser(request);
      await db.transaction().execute(async (trx) => {
        const before = await setCalendarDay(trx, { day, kind, name, source, userId: user.id });
        const previous = before ? { kind: before.kind, name: before.name, source: before.source } : null;
        await recordAudit(trx, { actorId: user.id, action: 'calendar_day.set', entity: 'calendar_day', entityId: day, detail: { kind, name, source, previous }, ip: request.ip });
      });
      return toItem((await findCalendarDay(db, day))!);
    },
  );

  app.delete(
    '/api/calendar/:day',
    {
      config: { auth: 'calendar:write' },
      schema: {
        tags: ['calendar'],
        summary: '删除设置，恢复按星期计算 / Remove a day’s setting: the weekday rule applies again',
        params: DayParam,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const { day } = request.params;
      checkDay(day, 'day');
      const user = currentUser(request);
      await db.transaction().execute(async (trx) => {
        const removed = await deleteCalendarDay(trx, day);
        if (!removed) throw notFound(`${day} 没有节假日或调休设置`, `${day} has no holiday or make-up setting`);
        await recordAudit(trx, {
          actorId: user.id,
          action: 'calendar_day.delete',
          entity: 'calendar_day',
          entityId: day,
          detail: { previous: { kind: removed.kind, name: removed.name, source: removed.source } },
          ip: request.ip,
        });
      });
      return { ok: true as const };
    },
  );
}
