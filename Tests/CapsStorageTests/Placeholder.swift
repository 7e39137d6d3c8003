import XCTest
@testable import CapsStorage
