// The rule lives with the run (the event list's index of notable events is kept as it is recorded).
export { isRoutine } from '../replay/notable';
