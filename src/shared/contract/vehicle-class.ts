import { z } from 'zod'

/**
 * The vehicle's class as the lane camera saw it: our own classes, onto which each camera brand's words are mapped
 * (booth/ingress/vehicle-class.ts). Kept on the camera read and the passage and shown to the guard; never sent to the
 * platform and never used to fill B7.7 (车辆类型 and the other vehicle fields of a filing come from the registration:
 * a camera gives neither weight class nor body).
 */
export const VEHICLE_CLASSES = ['large_truck', 'medium_truck', 'light_truck', 'truck', 'large_vehicle', 'bus', 'minibus', 'car', 'tractor', 'two_three_wheeler'] as const
export const vehicleClassSchema = z.enum(VEHICLE_CLASSES)
export type VehicleClass = z.infer<typeof vehicleClassSchema>

/** Each class in the guard's words: the journal, its Excel export and the zh UI read these (车型：大型货车). */
export const VEHICLE_CLASS_LABEL: Record<VehicleClass, string> = {
  large_truck: '大型货车',
  medium_truck: '中型货车',
  light_truck: '轻型货车',
  truck: '货车',
  large_vehicle: '大型车',
  bus: '客车',
  minibus: '面包车',
  car: '小型车',
  tractor: '农用车',
  two_three_wheeler: '二轮/三轮车'
}
