import type { ColumnType, Generated } from 'kysely';
import type { Sealed } from '../privacy/index.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** A track point from the phone: longitude, latitude, epoch milliseconds. */
export type TrackPoint = [number, number, number];

/** A grid worker's profile (网格员档案); days are YYYY-MM-DD in China Standard Time. */
export interface GridWorkerTable {
  user_id: number;
  employment: 'full_time' | 'part_time';
  community_code: string;
  jurisdiction_path: string;
  started_on: string;
  ended_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Which grids a worker serves, with history: an assignment ends, it is never deleted. */
export interface GridWorkerAssignmentTable {
  id: Generated<number>;
  user_id: number;
  grid_id: number;
  from_on: string;
  to_on: string | null;
  reason: string;
  assigned_by: number | null;
  created_at: Timestamp;
}

export interface GridWorkerTrainingTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  hours: ColumnType<string, number | string, number | string>;
  completed_on: string;
  created_at: Timestamp;
}

/** A patrol (巡查) started and ended on the phone, with its track. */
export interface PatrolTable {
  id: Generated<number>;
  user_id: number;
  /** the phone's key for this patrol: a retried start is the same patrol */
  client_key: string;
  grid_id: number | null;
  community_code: string;
  jurisdiction_path: string;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  track: Json<TrackPoint[]>;
  distance_m: Generated<number>;
  note: string | null;
}

/** A visit (走访): whom, where, what was found; a visit to a person served keeps their schedule. */
export interface VisitTable {
  id: Generated<number>;
  user_id: number;
  client_key: string;
  person_id: number | null;
  patrol_id: number | null;
  /** whom the worker met, when not a registered person served: personal, sealed */
  whom: Sealed | null;
  place: string | null;
  findings: string;
  lng: number | null;
  lat: number | null;
  community_code: string;
  jurisdiction_path: string;
  visited_at: Timestamp;
  visited_on: string;
  /** for a person served: whether it came by the due day */
  on_time: boolean | null;
  created_at: Timestamp;
}

/** The daily log (民情日记): a worker's entries of one day. */
export interface DailyLogEntryTable {
  id: Generated<number>;
  user_id: number;
  client_key: string;
  log_on: string;
  at: Timestamp;
  content: string;
  jurisdiction_path: string;
}

/** A case a grid worker reported (channel 'grid'): for the daily log and performance. */
export interface GridReportTable {
  case_id: number;
  user_id: number;
  patrol_id: number | null;
  found_at: Timestamp;
  reported_at: Timestamp;
}

export interface GridworkTables {
  grid_worker: GridWorkerTable;
  grid_worker_assignment: GridWorkerAssignmentTable;
  grid_worker_training: GridWorkerTrainingTable;
  patrol: PatrolTable;
  visit: VisitTable;
  daily_log_entry: DailyLogEntryTable;
  grid_report: GridReportTable;
}
