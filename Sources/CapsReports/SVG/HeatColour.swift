import Foundation

/// The sequential colour ramp of the confusion heat map, white-blue to dark
/// blue (the ends of ColorBrewer's "Blues"), interpolated linearly in sRGB.
enum HeatColour {
    static let low = (247.0, 251.0, 255.0)
    static let high = (8.0, 48.0, 107.0)

    /// The colour of fraction `t` in [0, 1] as `#rrggbb`.
    static func hex(_ t: Double) -> String {
        let u = min(max(t, 0), 1)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * u).rounded()) }
        return String(format: "#%02x%02x%02x", mix(low.0, high.0), mix(low.1, high.1), mix(low.2, high.2))
    }

    /// Text drawn on fraction `t` stays readable: white on the dark half.
    static func textColour(_ t: Double) -> String { t > 0.5 ? "#ffffff" : "#222222" }
}
