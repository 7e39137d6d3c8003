import XCTest
@testable import CapsVectors
