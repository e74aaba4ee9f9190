/**
 * How a call sets the alarm: `always` replaces the one set (null clears it); `sooner` only brings
 * it earlier, or sets it when none is set; `unset` sets it only when none is set.
 */
export type AlarmRule = 'always' | 'sooner' | 'unset'

/**
 * The one place the writer's alarm is set. The alarm runs the next step of the flush and the
 * hub's deliveries that are due, so every caller asks for the time it needs and the rule says
 * whether an alarm already set may stand. A time in the past is now. A rule given as a function
 * is asked only when a later alarm is set (after a write's commit, nothing else is read unless
 * it must be: a failure there would answer an acknowledged write with an error).
 */
export async function armAlarm(storage: DurableObjectStorage, at: number | null, rule: AlarmRule | (() => AlarmRule)): Promise<void> {
  if (at === null) {
    if (rule === 'always') await storage.deleteAlarm()
    return
  }
  const when = Math.max(at, Date.now())
  if (rule !== 'always') {
    const set = await storage.getAlarm()
    if (set !== null && (set <= when || (typeof rule === 'function' ? rule() : rule) === 'unset')) return
  }
  await storage.setAlarm(when)
}
