/** What the consumer-group workload's handlers cost per event, and what its children report. */
export const IO_MS = 2;
export const CPU_MS = 0.2;

export interface GroupCount {
  type: 'count';
  handled: number;
}
