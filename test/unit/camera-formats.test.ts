import { describe, expect, it } from 'vitest'
import { VEHICLE_CLASS_LABEL, VEHICLE_CLASSES } from '@shared/contract'
import { checkResponseStatus, inputActive } from '../../src/main/booth/devices/barrier-camera/hikvision'
import { checkOk, inStateMask, lastFoundPlate } from '../../src/main/booth/devices/barrier-camera/dahua'
import { usernameToken } from '../../src/main/booth/devices/barrier-camera/onvif-relay'
import { dahuaColour, dahuaPushSchema, dahuaTime, pushedReadFromDahua } from '../../src/main/booth/ingress/dahua'
import { hikvisionColour, parseHikvisionAlert, parseHikvisionMultipart } from '../../src/main/booth/ingress/hikvision'
import { multipartBoundary, parseMultipart } from '../../src/main/booth/ingress/multipart'
import { dahuaVehicleClass, hikvisionVehicleClass, vzenithVehicleClass } from '../../src/main/booth/ingress/vehicle-class'
import { pushedReadFromVzenith, vzenithPushSchema } from '../../src/main/booth/ingress/vzenith'

const ALERT = `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<ipAddress>192.168.1.64</ipAddress><channelID>1</channelID><dateTime>2026-12-04T09:30:15+08:00</dateTime>
<activePostCount>1</activePostCount><eventType>ANPR</eventType><eventState>active</eventState>
<ANPR><licensePlate>豫A12345</licensePlate><confidenceLevel>97</confidenceLevel><plateColor>yellow</plateColor><vehicleType>truck</vehicleType>
<pictureInfoList><pictureInfo><fileName>licensePlatePicture.jpg</fileName><type>licensePlatePicture</type></pictureInfo>
<pictureInfo><fileName>detectionPicture.jpg</fileName><type>detectionPicture</type></pictureInfo></pictureInfoList></ANPR>
<UUID>5f3c9a2e-0001</UUID></EventNotificationAlert>`

function form(boundary: string, parts: { name: string; type: string; body: Buffer }[]): Buffer {
  return Buffer.concat([
    ...parts.flatMap((part) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.name}"\r\nContent-Type: ${part.type}\r\n\r\n`), part.body, Buffer.from('\r\n')]),
    Buffer.from(`--${boundary}--\r\n`)
  ])
}

describe('multipart/form-data (RFC 7578)', () => {
  it('finds the boundary and splits the parts, bodies byte for byte (CRLFs inside a picture kept)', () => {
    expect(multipartBoundary('multipart/form-data; boundary="abc 1"')).toBe('abc 1')
    expect(multipartBoundary('multipart/form-data; boundary=MIME_boundary')).toBe('MIME_boundary')
    expect(multipartBoundary('application/json')).toBeNull()
    const jpeg = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0xd9])
    const parts = parseMultipart(form('b1', [{ name: 'anpr.xml', type: 'application/xml', body: Buffer.from('<a/>') }, { name: 'detectionPicture.jpg', type: 'image/jpeg', body: jpeg }]), 'b1')
    expect(parts.map((part) => [part.name, part.contentType])).toEqual([['anpr.xml', 'application/xml'], ['detectionPicture.jpg', 'image/jpeg']])
    expect(parts[1]!.body.equals(jpeg)).toBe(true)
  })

  it('refuses a body cut before its closing delimiter, and one without a delimiter', () => {
    const whole = form('b1', [{ name: 'anpr.xml', type: 'application/xml', body: Buffer.from(ALERT) }])
    expect(() => parseMultipart(whole.subarray(0, whole.length - 30), 'b1')).toThrow('截断')
    expect(() => parseMultipart(Buffer.from('hello'), 'b1')).toThrow('分隔符')
  })
})

describe('Hikvision ANPR alarm', () => {
  it('maps plate, colour, confidence, time, UUID and takes the scene picture as the front photo', () => {
    const scene = Buffer.from([0xff, 0xd8, 1, 0xff, 0xd9])
    const closeUp = Buffer.from([0xff, 0xd8, 2, 0xff, 0xd9])
    const parts = parseMultipart(
      form('x', [
        { name: 'anpr.xml', type: 'application/xml', body: Buffer.from(ALERT) },
        { name: 'licensePlatePicture.jpg', type: 'image/jpeg', body: closeUp },
        { name: 'detectionPicture.jpg', type: 'image/jpeg', body: scene }
      ]),
      'x'
    )
    const read = parseHikvisionMultipart(parts)
    if (!('pushed' in read)) throw new Error(JSON.stringify(read.issues))
    expect(read.pushed).toMatchObject({ plate: '豫A12345', colour: '1', confidence: 0.97, eventId: '5f3c9a2e-0001', cameraAt: Date.parse('2026-12-04T01:30:15Z'), vehicleClass: 'truck' })
    expect(read.pushed.binaryImages?.[0]?.jpeg.equals(scene)).toBe(true)
  })

  it('keeps the plate close-up beside the scene for the guard; alone, it stands in as the front photo', () => {
    const scene = Buffer.from([0xff, 0xd8, 1, 0xff, 0xd9])
    const closeUp = Buffer.from([0xff, 0xd8, 2, 0xff, 0xd9])
    const push = (pictures: { name: string; body: Buffer }[]) => {
      const read = parseHikvisionMultipart(parseMultipart(form('x', [{ name: 'anpr.xml', type: 'application/xml', body: Buffer.from(ALERT) }, ...pictures.map((p) => ({ ...p, type: 'image/jpeg' }))]), 'x'))
      if (!('pushed' in read)) throw new Error(JSON.stringify(read.issues))
      return (read.pushed.binaryImages ?? []).map((image) => [image.zpbh, image.jpeg[2]])
    }
    expect(push([{ name: 'licensePlatePicture.jpg', body: closeUp }, { name: 'detectionPicture.jpg', body: scene }])).toEqual([['1', 1], ['p', 2]])
    expect(push([{ name: 'licensePlatePicture.jpg', body: closeUp }])).toEqual([['1', 2]])
    expect(push([{ name: 'detectionPicture.jpg', body: scene }])).toEqual([['1', 1]])
  })

  it('colours to B7.1; refuses XML that is not well-formed and an alarm that is not ANPR', () => {
    expect(['blue', 'yellow', 'white', 'black', 'green', 'newEnergyGreen', 'other'].map(hikvisionColour)).toEqual(['0', '1', '2', '3', '4', '4', '5'])
    expect(parseHikvisionAlert(Buffer.from(ALERT.replace('</ANPR>', '</ANRP>')), 'application/xml')).toMatchObject({ issues: [{ message: expect.stringContaining('XML 格式错误') }] })
    expect(parseHikvisionAlert(Buffer.from(ALERT.replace('<eventType>ANPR', '<eventType>VMD')), 'application/xml')).toMatchObject({ issues: [{ message: expect.stringContaining('VMD') }] })
  })

  it('reads ISAPI ResponseStatus and IOPortStatus answers', () => {
    expect(() => checkResponseStatus(200, '<ResponseStatus><statusCode>1</statusCode><statusString>OK</statusString></ResponseStatus>', '抬杆')).not.toThrow()
    expect(() => checkResponseStatus(400, '<ResponseStatus><statusCode>6</statusCode><statusString>Invalid XML Content</statusString></ResponseStatus>', '抬杆')).toThrow('Invalid XML Content')
    expect(() => checkResponseStatus(200, 'garbage', '抬杆')).toThrow('不是 XML')
    expect(inputActive('<IOPortStatus><inputPort>1</inputPort><ioState>active</ioState></IOPortStatus>')).toBe(true)
  })
})

describe('Dahua', () => {
  it('CGI answers: OK, Error, the input bit mask', () => {
    expect(() => checkOk(200, 'OK\r\n', '抬杆')).not.toThrow()
    expect(() => checkOk(200, 'Error\r\nBad Request!', '抬杆')).toThrow('Bad Request')
    expect(inStateMask('result=5\r\n')).toBe(5)
    expect(() => inStateMask('nonsense')).toThrow('格式错误')
  })

  it('ITSAPI colour words and camera-local time with its zone', () => {
    expect(['Blue', 'Yellow', 'White', 'Black', 'Green', 'YellowGreen', 'Unknown'].map(dahuaColour)).toEqual(['0', '1', '2', '3', '4', '4', '5'])
    expect(dahuaTime('2026-12-04 09:30:15.250', 8)).toBe(Date.parse('2026-12-04T01:30:15.250Z'))
    expect(dahuaTime('yesterday')).toBeNull()
  })

  it('NormalPic is the front photo, CutoutPic the plate close-up beside it (or the front photo when alone)', () => {
    const jpeg = (n: number) => Buffer.from([0xff, 0xd8, n, 0xff, 0xd9]).toString('base64')
    const images = (picture: Record<string, unknown>) =>
      pushedReadFromDahua(dahuaPushSchema.parse({ Picture: { Plate: { PlateNumber: '豫A12345' }, ...picture } })).images.map((image) => [image.zpbh, image.path])
    expect(images({ NormalPic: { Content: jpeg(1) }, CutoutPic: { Content: jpeg(2) } })).toEqual([['1', 'Picture.NormalPic.Content'], ['p', 'Picture.CutoutPic.Content']])
    expect(images({ CutoutPic: { Content: jpeg(2) } })).toEqual([['1', 'Picture.CutoutPic.Content']])
    expect(images({ NormalPic: { Content: jpeg(1) } })).toEqual([['1', 'Picture.NormalPic.Content']])
  })
})

describe('ONVIF WS-UsernameToken', () => {
  it('PasswordDigest is Base64(SHA-1(nonce + created + password)) (ONVIF Core, WS-Security UsernameToken Profile)', () => {
    const xml = usernameToken('admin', 'secret', '2026-12-04T01:30:15.000Z', Buffer.alloc(16, 1))
    expect(xml).toContain('<wsse:Username>admin</wsse:Username>')
    expect(xml).toMatch(/PasswordDigest">[A-Za-z0-9+/]{27}=<\/wsse:Password>/)
    expect(xml).not.toContain('secret')
  })
})

describe('the camera\'s vehicle type, mapped to our own class', () => {
  it('Hikvision vehicleType words (case-insensitive); unknown, pedestrian and absent give none', () => {
    const words = ['truck', 'mediumHeavyTruck', 'lightTruck', 'buggy', 'largeBus', 'van', 'vehicle', 'SUVMPV', 'threeWheelVehicle', 'unknown', 'pedestrian', undefined]
    expect(words.map(hikvisionVehicleClass)).toEqual(['truck', 'large_truck', 'light_truck', 'light_truck', 'bus', 'minibus', 'car', 'car', 'two_three_wheeler', null, null, null])
  })

  it('Dahua VehicleType categories; the push carries it in Picture.Vehicle', () => {
    expect(['LargeTruck', 'MidTruck', 'MicroTruck', 'PassengerCar', 'Microbus', 'SaloonCar', 'Tricycle', 'Non-Motor', 'Passerby', 'Unknown'].map(dahuaVehicleClass)).toEqual([
      'large_truck',
      'medium_truck',
      'light_truck',
      'bus',
      'minibus',
      'car',
      'two_three_wheeler',
      null,
      null,
      null
    ])
    const read = pushedReadFromDahua(dahuaPushSchema.parse({ Picture: { Plate: { PlateNumber: '豫A12345' }, Vehicle: { VehicleType: 'MidTruck' } } }))
    expect(read.vehicleClass).toBe('medium_truck')
  })

  it('臻识 gives only the plate type: 蓝牌小汽车 a car, yellow plates a large vehicle, 农用车牌 a tractor, the rest nothing', () => {
    expect([1, 2, 3, 4, 12, 5, 8, 0, undefined].map(vzenithVehicleClass)).toEqual(['car', 'car', 'large_vehicle', 'large_vehicle', 'tractor', null, null, null, null])
    const read = pushedReadFromVzenith(vzenithPushSchema.parse({ AlarmInfoPlate: { result: { PlateResult: { license: '豫A12345', type: 4 } } } }))
    expect(read.vehicleClass).toBe('large_vehicle')
  })

  it('every class has its Chinese name (the journal, its Excel and the zh UI read it), no two alike', () => {
    expect(Object.keys(VEHICLE_CLASS_LABEL)).toEqual([...VEHICLE_CLASSES])
    for (const label of Object.values(VEHICLE_CLASS_LABEL)) expect(label).toMatch(/^[\u4e00-\u9fa5/]+$/)
    expect(new Set(Object.values(VEHICLE_CLASS_LABEL)).size).toBe(VEHICLE_CLASSES.length)
  })
})

describe('Dahua traffic records (last plate for commissioning)', () => {
  it('takes the latest record with a plate from a recordFinder find answer', () => {
    const answer = ['found=3', 'records[0].PlateNumber=豫A11111', 'records[0].Time=2026-12-04 09:30:15', 'records[1].PlateNumber=豫A22222', 'records[1].Time=2026-12-04 09:41:02', 'records[2].PlateNumber=', 'records[2].Time=2026-12-04 09:45:00'].join('\r\n')
    expect(lastFoundPlate(answer)).toEqual({ plate: '豫A22222', at: '2026-12-04 09:41:02' })
    expect(lastFoundPlate('found=0\r\n')).toBeNull()
  })
})
