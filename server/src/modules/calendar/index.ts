/** The calendar module as other modules use it: local time, working days and the deadline rule. */
export { SHIPPED_DAYS } from './data.js';
export {
  dayInput,
  daysBetween,
  isValidDay,
  LOCAL_ZONE,
  localDateOf,
  localDateTime,
  localDayRange,
  localIso,
  localMonth,
  monthStart,
  nextMonthStart,
  shiftDay,
  startOfLocalDay,
  weekStart,
} from './local-time.js';
export { seedCalendar } from './repository.js';
export { atLocalTime } from './sql.js';
export { calendarCache } from './service.js';
export { timeLimitOf, WorkingCalendar } from './working-calendar.js';
