import XCTest
@testable import CapsKit
