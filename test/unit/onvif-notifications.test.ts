import { describe, expect, it } from 'vitest'
import { digitalInputFromNotification, parsePullMessages, plateColourCode, plateFromNotification } from '../../src/main/booth/devices/camera/notifications'
import { MalformedXmlError } from '../../src/main/booth/devices/camera/xml'

function pullResponse(messages: string): string {
  return (
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema"' +
    ' xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><SOAP-ENV:Body>' +
    `<tev:PullMessagesResponse><tev:CurrentTime>2026-11-25T01:00:00Z</tev:CurrentTime>${messages}</tev:PullMessagesResponse>` +
    '</SOAP-ENV:Body></SOAP-ENV:Envelope>'
  )
}

function message(topic: string, source: string, data: string, utc = '2026-11-25T01:00:05.500Z'): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${utc}" PropertyOperation="Changed"><tt:Source>${source}</tt:Source><tt:Data>${data}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  )
}

describe('ONVIF pull-point notifications', () => {
  it('reads a vendor plate topic with a percentage confidence and a Chinese colour', () => {
    const [notification] = parsePullMessages(
      pullResponse(
        message(
          'tns1:VideoAnalytics/tnsx:LicensePlateRecognition',
          '<tt:SimpleItem Name="VideoSourceToken" Value="0"/>',
          '<tt:SimpleItem Name="Plate" Value="豫A 12345"/><tt:SimpleItem Name="Color" Value="黄色"/><tt:SimpleItem Name="Confidence" Value="87"/>'
        )
      )
    )
    expect(plateFromNotification(notification!)).toEqual({ plate: '豫A 12345', colour: '1', confidence: 0.87, at: Date.parse('2026-11-25T01:00:05.500Z') })
  })

  it('reads the tt:LicensePlateInfo element form with its Likelihood attribute', () => {
    const [notification] = parsePullMessages(
      pullResponse(
        message(
          'tns1:RuleEngine/LicensePlateDetector/LicensePlate',
          '',
          '<tt:ElementItem Name="LicensePlateInfo"><tt:LicensePlateInfo><tt:PlateNumber Likelihood="0.9">豫AD00006</tt:PlateNumber><tt:PlateType>Green</tt:PlateType></tt:LicensePlateInfo></tt:ElementItem>'
        )
      )
    )
    expect(plateFromNotification(notification!)).toMatchObject({ plate: '豫AD00006', colour: '4', confidence: 0.9 })
  })

  it('keeps several messages apart and tells plates, inputs and other topics from each other', () => {
    const notifications = parsePullMessages(
      pullResponse(
        message('tns1:RuleEngine/CellMotionDetector/Motion', '', '<tt:SimpleItem Name="IsMotion" Value="true"/>') +
          message('tns1:Device/Trigger/DigitalInput', '<tt:SimpleItem Name="InputToken" Value="DI_2"/>', '<tt:SimpleItem Name="LogicalState" Value="false"/>') +
          message('tns1:RuleEngine/LicensePlateRecognition/Plate', '', '<tt:SimpleItem Name="PlateNumber" Value="豫A00005"/>')
      )
    )
    expect(notifications.map((n) => plateFromNotification(n)?.plate ?? null)).toEqual([null, null, '豫A00005'])
    expect(notifications.map((n) => digitalInputFromNotification(n))).toEqual([null, { input: 'DI_2', active: false, at: Date.parse('2026-11-25T01:00:05.500Z') }, null])
    expect(plateFromNotification(notifications[2]!)).toMatchObject({ colour: null, confidence: null })
  })

  it('returns nothing for an empty pull and throws a MalformedXmlError for a reply that is not SOAP', () => {
    expect(parsePullMessages(pullResponse(''))).toEqual([])
    expect(() => parsePullMessages('<env:Envelope><env:Body><tev:PullMessagesResp')).toThrow(MalformedXmlError)
    expect(() => parsePullMessages('<html><body>502 Bad Gateway</body></html>')).toThrow(MalformedXmlError)
  })

  it('maps colour words onto B7.1, yellow-green as new energy', () => {
    expect(['Blue', 'YELLOW', 'white', '黑', 'yellowgreen', '黄绿', '新能源', 'Red', ''].map(plateColourCode)).toEqual(['0', '1', '2', '3', '4', '4', '4', '5', null])
  })
})
