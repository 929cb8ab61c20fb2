/** Today's date in New York (the market's calendar), `YYYY-MM-DD`. */
export function todayInNewYork(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
}
