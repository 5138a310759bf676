import { describe, expect, it } from 'vitest';
import { commaList, dateWindow, formatOf, parseW3c, w3c } from './wire.js';
import { normalisePhone, reporterName, serviceNotice } from './requests.js';

describe('W3C dates', () => {
  it('writes instants at +08:00', () => {
    expect(w3c(new Date('2026-11-21T01:30:05.123Z'))).toBe('2026-11-21T09:30:05+08:00');
    expect(w3c(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
    expect(w3c(null)).toBeNull();
  });

  it('reads date-times with a zone, and a bare date as midnight in China', () => {
    expect(parseW3c('2026-11-21T09:30:00+08:00')?.toISOString()).toBe('2026-11-21T01:30:00.000Z');
    expect(parseW3c('2026-11-21T01:30:00Z')?.toISOString()).toBe('2026-11-21T01:30:00.000Z');
    expect(parseW3c('2026-11-21T01:30:00.5-0500')?.toISOString()).toBe('2026-11-21T06:30:00.500Z');
    expect(parseW3c('2026-11-21')?.toISOString()).toBe('2026-11-20T16:00:00.000Z');
  });

  it("reads back a '+' that arrived as a space", () => {
    expect(parseW3c('2026-11-21T09:30:00 08:00')?.toISOString()).toBe('2026-11-21T01:30:00.000Z');
  });

  it('refuses date-times without a zone and impossible dates', () => {
    expect(parseW3c('2026-11-21T09:30:00')).toBeNull();
    expect(parseW3c('2026-02-30')).toBeNull();
    expect(parseW3c('2026-11-21T24:00:00Z')).toBeNull();
    expect(parseW3c('yesterday')).toBeNull();
  });

  it('defaults to 90 days counted from the end the client gave, or ending now', () => {
    const now = new Date('2026-11-21T00:00:00Z');
    const start = new Date('2026-01-01T00:00:00Z');
    expect(dateWindow(null, null, now)).toEqual({ from: new Date('2026-08-23T00:00:00Z'), to: now });
    expect(dateWindow(start, null, now)).toEqual({ from: start, to: new Date('2026-04-01T00:00:00Z') });
    expect(dateWindow(null, start, now)).toEqual({ from: new Date('2025-10-03T00:00:00Z'), to: start });
  });
});

describe('arguments', () => {
  it('reads the format from the extension', () => {
    expect(formatOf('/open311/v2/requests.json?status=open')).toBe('json');
    expect(formatOf('/open311/v2/requests.xml')).toBe('xml');
    expect(formatOf('/open311/v2/requests.csv')).toBe('xml');
  });

  it('splits comma lists', () => {
    expect(commaList(' CG-001, CG-005,,')).toEqual(['CG-001', 'CG-005']);
    expect(commaList(undefined)).toEqual([]);
  });

  it('normalises Chinese phone numbers and refuses others', () => {
    expect(normalisePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalisePhone('(0471) 6612345')).toBe('04716612345');
    expect(normalisePhone('555-0100')).toBeNull();
  });

  it('puts a Chinese family name first', () => {
    expect(reporterName('三', '张')).toBe('张三');
    expect(reporterName('Ann', 'Lee')).toBe('Ann Lee');
    expect(reporterName(undefined, ' ')).toBeUndefined();
  });

  it('states the time limit of a service', () => {
    expect(serviceNotice({ time_limit_days: 5, priority: 'normal' }, 'zh')).toBe('办理时限：立案后 5 个工作日');
    expect(serviceNotice({ time_limit_days: 1, priority: 'critical' }, 'en')).toBe('Urgent: handled within 24 hours of registration');
    expect(serviceNotice(undefined, 'zh')).toBeNull();
  });
});
