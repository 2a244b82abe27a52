import type { VehicleAnswer } from './server'

/** Demo fleet, keyed `${plate}|${colour}`: two controlled trucks during an orange alert, the rest clean. */
export const demoVehicles: Record<string, VehicleAnswer> = {
  '豫A00003|1': { isControl: '1', controlReason: '重污染天气橙色预警期间，禁止国四及以下排放标准重型柴油货车通行', emissionStandard: '4', fuelType: 'B' },
  '豫A00004|1': { isControl: '1', controlReason: '国三排放标准重型柴油货车，禁止通行', emissionStandard: '3', fuelType: 'B' },
  '豫A00005|1': { isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' },
  '豫AD00006|4': { isControl: '0', controlReason: '', emissionStandard: 'D', fuelType: 'C' }
}
