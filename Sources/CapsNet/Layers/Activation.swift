import Foundation

/// Element-wise non-linearities applied in place; backward passes use the
/// forward OUTPUT (y), which is all ReLU and sigmoid need.
public enum Activation {
    /// y = max(0, y), in place over `count` elements.
    public static func reluForward(_ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where !(y[i] > 0) { y[i] = 0 }
    }

    /// dy *= [y > 0], in place (gradient wrt the pre-activation).
    public static func reluBackward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where !(y[i] > 0) { dy[i] = 0 }
    }

    /// y = 1 / (1 + e^{−y}), in place.
    public static func sigmoidForward(_ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = 1 / (1 + expf(-y[i])) }
    }

    /// dy *= y (1 − y), in place.
    public static func sigmoidBackward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dy[i] *= y[i] * (1 - y[i]) }
    }
}
