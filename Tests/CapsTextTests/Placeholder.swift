import XCTest
@testable import CapsText
