import XCTest
@testable import CapsNet
import CapsNet
import CapsStorage
