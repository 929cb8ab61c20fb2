/**
 * A money amount to the cent. Sums and products of stored cent values pick up float noise
 * (225245.19000000003); what a report shows is cents.
 */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
