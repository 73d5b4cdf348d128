import type { BusinessCalendarSpec } from './calendar.js';

const workday = () => [{ open: '09:00', close: '17:00' }];

/**
 * The support policy's business clock: New York time, Monday to Friday 09:00–17:00, closed on US
 * federal holidays as observed. The policy file carries the same data; this copy serves tests and
 * benchmarks.
 */
export const US_EASTERN_BUSINESS_HOURS: BusinessCalendarSpec = {
  timeZone: 'America/New_York',
  hours: { mon: workday(), tue: workday(), wed: workday(), thu: workday(), fri: workday() },
  holidayRules: ['us-federal'],
};
