import type { VehicleClass } from '@shared/contract'

/**
 * Each camera brand's vehicle-type words mapped onto our own classes (contract `VehicleClass`). A word not listed
 * (unknown, pedestrian, non-motor …) gives no class: the guard sees none rather than a guess.
 */

/** Hikvision ISAPI `ANPR.vehicleType` (the ANPR alert's enumeration). */
const HIKVISION: Record<string, VehicleClass> = {
  truck: 'truck',
  mediumheavytruck: 'large_truck',
  containertruck: 'large_truck',
  platformtrailer: 'large_truck',
  slagtruck: 'large_truck',
  concretemixer: 'large_truck',
  oiltanktruck: 'large_truck',
  crane: 'large_truck',
  lighttruck: 'light_truck',
  buggy: 'light_truck',
  minitruck: 'light_truck',
  pickuptruck: 'light_truck',
  largebus: 'bus',
  mediumbus: 'bus',
  bus: 'bus',
  minibus: 'minibus',
  van: 'minibus',
  vehicle: 'car',
  smallcar: 'car',
  minicar: 'car',
  suvmpv: 'car',
  coupe: 'car',
  hatchback: 'car',
  saloon: 'car',
  twowheelvehicle: 'two_three_wheeler',
  threewheelvehicle: 'two_three_wheeler'
}

/** Dahua `Picture.Vehicle.VehicleType` (the vehicle categories of Dahua's traffic API: LargeTruck 大货车, MidTruck 中货车 …). */
const DAHUA: Record<string, VehicleClass> = {
  largetruck: 'large_truck',
  midtruck: 'medium_truck',
  microtruck: 'light_truck',
  passengercar: 'bus',
  bus: 'bus',
  microbus: 'minibus',
  salooncar: 'car',
  tractor: 'tractor',
  motorcycle: 'two_three_wheeler',
  tricycle: 'two_three_wheeler'
}

/**
 * 臻识 (Vzenith) pushes no vehicle type, only the plate type (`PlateResult.type`, LT_X of its SDK): 1 蓝牌小汽车 and 2
 * 黑牌小汽车 name a car, 3 单排黄牌 and 4 双排黄牌 (大车尾牌) a large vehicle (yellow plates are 大型汽车号牌, GA 36),
 * 12 农用车牌 a tractor; the other plate types (police, army, embassy …) say nothing of the vehicle's size.
 */
const VZENITH_PLATE_TYPE: Record<number, VehicleClass> = { 1: 'car', 2: 'car', 3: 'large_vehicle', 4: 'large_vehicle', 12: 'tractor' }

export function hikvisionVehicleClass(word: string | undefined): VehicleClass | null {
  return HIKVISION[(word ?? '').trim().toLowerCase()] ?? null
}

export function dahuaVehicleClass(word: string | undefined): VehicleClass | null {
  return DAHUA[(word ?? '').trim().toLowerCase().replace(/[-_\s]/g, '')] ?? null
}

export function vzenithVehicleClass(plateType: number | undefined): VehicleClass | null {
  return plateType === undefined ? null : (VZENITH_PLATE_TYPE[plateType] ?? null)
}
