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
