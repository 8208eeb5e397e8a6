#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date (YYYY-MM-DD), proleptic Gregorian, no time zone. Days since 1970-01-01 make arithmetic exact.
package struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package let year: Int
    package let month: Int
    package let day: Int

    package init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    package init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard ScalarResolver.isDigit(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The first and last day a `Day` can be: years have four digits.
    package static let earliest = Day(uncheckedYear: 1, month: 1, day: 1)
    package static let latest = Day(uncheckedYear: 9999, month: 12, day: 31)

    private static let earliestDays = earliest.daysSinceEpoch
    private static let latestDays = latest.daysSinceEpoch

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `z0` days after 1970-01-01, held within `earliest...latest` (a count beyond them gives the
    /// nearest end: no arithmetic on it can overflow, and no year has five digits).
    package init(daysSinceEpoch z0: Int) {
        let z0 = min(max(z0, Day.earliestDays), Day.latestDays)
        // Howard Hinnant's civil_from_days.
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        year = y
        month = m
        day = d
    }

    package var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Overflow-checked: a sum beyond `earliest...latest` gives the nearest end.
    package func adding(days: Int) -> Day {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        if overflow { return days < 0 ? .earliest : .latest }
        return Day(daysSinceEpoch: sum)
    }

    package func days(until other: Day) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Today's UTC date.
    package static func todayUTC() -> Day {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Day(daysSinceEpoch: Int(t.tv_sec) / 86_400)
    }

    /// `YYYY-MM-DD`, written digit by digit into the string's own storage (it is made for every date of every
    /// manifest).
    package var description: String {
        guard (0...9999).contains(year) else {
            func pad(_ v: Int, _ n: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: max(0, n - s.count)) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        let (y, m, d) = (year, month, day)
        return String(unsafeUninitializedCapacity: 10) { b in
            b[0] = UInt8(48 + y / 1000)
            b[1] = UInt8(48 + y / 100 % 10)
            b[2] = UInt8(48 + y / 10 % 10)
            b[3] = UInt8(48 + y % 10)
            b[4] = UInt8(ascii: "-")
            b[5] = UInt8(48 + m / 10 % 10)
            b[6] = UInt8(48 + m % 10)
            b[7] = UInt8(ascii: "-")
            b[8] = UInt8(48 + d / 10 % 10)
            b[9] = UInt8(48 + d % 10)
            return 10
        }
    }

    package static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    package init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not YYYY-MM-DD"))
        }
        self = d
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
