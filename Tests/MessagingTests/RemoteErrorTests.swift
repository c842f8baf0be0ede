import Foundation
import Testing

@testable import Messaging

@Suite struct RemoteErrorTests {
    struct NoValidHost: RemoteErrorConvertible {
        static let remoteClassName = "NoValidHost"
        let remoteMessage: String
        var remoteKwargs: [String: JSONValue] { ["reason": .string(remoteMessage)] }
        init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
    }

    struct ImageNotFound: RemoteErrorConvertible {
        static let remoteClassName = "ImageNotFound"
        static let remoteModule = "cirrus.image"
        static let isExpected = false
        let remoteMessage: String
        init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
    }

    enum DiskFull: Error { case onVolume(String) }

    @Test func failureJSONRoundTrips() {
        let error = RemoteError(
            className: "NoValidHost", module: "nova.exception", message: "No valid host was found. \"quoted\"\nline 2 雲",
            traceback: ["Traceback (most recent call last):\n", "  File \"x.py\", line 1\n"],
            kwargs: ["code": 500, "reason": "full", "nested": ["a": [true, nil]]])
        #expect(RemoteError(failureJSON: error.failureJSON) == error)
    }

    @Test func failureJSONHasOsloKeys() throws {
        let error = RemoteError(className: "C", module: "m", message: "msg", traceback: ["tb"], kwargs: ["k": 1])
        let o = try jsonObject(error.failureJSON)
        #expect(o == ["class": "C", "module": "m", "message": "msg", "tb": ["tb"], "args": ["msg"], "kwargs": ["k": 1]])
    }

    @Test func readsAnOsloFailureAndStripsRemoteSuffix() {
        let text = #"{"class": "NoValidHost_Remote", "module": "nova.exception", "message": "No valid host was found. ", "tb": ["Traceback (most recent call last):\n", "nova.exception.NoValidHost: No valid host was found.\n"], "args": [], "kwargs": {"code": 500}}"#
        let error = RemoteError(failureJSON: text)
        #expect(error.className == "NoValidHost")
        #expect(error.module == "nova.exception")
        #expect(error.message == "No valid host was found. ")
        #expect(error.traceback.count == 2)
        #expect(error.kwargs == ["code": 500])
    }

    @Test func tracebackAsASingleString() {
        let error = RemoteError(failureJSON: #"{"class": "ValueError", "module": "builtins", "message": "bad", "tb": "Traceback ...\nValueError: bad"}"#)
        #expect(error.traceback == ["Traceback ...\nValueError: bad"])
        #expect(error.className == "ValueError")
    }

    @Test func missingFieldsGetDefaults() {
        let error = RemoteError(failureJSON: "{}")
        #expect(error == RemoteError(className: "RemoteError", module: "builtins", message: ""))
        let odd = RemoteError(failureJSON: #"{"class": 5, "tb": 7, "kwargs": []}"#)
        #expect(odd.className == "RemoteError")
        #expect(odd.traceback.isEmpty)
        #expect(odd.kwargs.isEmpty)
    }

    @Test(arguments: ["Traceback: something broke", "", "[1, 2]", "\"just a string\"", "{truncated"])
    func unreadableTextBecomesARemoteErrorWithTheRawText(text: String) {
        let error = RemoteError(failureJSON: text)
        #expect(error.className == "RemoteError")
        #expect(error.module == "builtins")
        #expect(error.message == text)
    }

    @Test func descriptionNamesClassAndMessage() {
        #expect(RemoteError(className: "NoValidHost", module: "m", message: "none").description == "Remote error: NoValidHost none")
    }

    @Test func fromARemoteErrorIsItself() {
        let original = RemoteError(className: "X", module: "y", message: "z", traceback: ["t"])
        #expect(RemoteError(from: original) == original)
    }

    @Test func fromARemoteErrorConvertibleUsesItsStableNames() {
        let error = RemoteError(from: NoValidHost(remoteMessage: "No valid host was found."))
        #expect(error.className == "NoValidHost")
        #expect(error.module == "cirrus.exception")
        #expect(error.message == "No valid host was found.")
        #expect(error.kwargs == ["reason": "No valid host was found."])
        #expect(error.traceback.count == 1)
        #expect(error.traceback.first?.contains("NoValidHost") == true)
        let custom = RemoteError(from: ImageNotFound(remoteMessage: "image 42 not found"))
        #expect(custom.module == "cirrus.image")
        #expect(custom.kwargs.isEmpty)
    }

    @Test func convertibleDefaults() {
        #expect(NoValidHost.remoteModule == "cirrus.exception")
        #expect(NoValidHost.isExpected)
        #expect(!ImageNotFound.isExpected)
        #expect(ImageNotFound(remoteMessage: "x").remoteKwargs.isEmpty)
    }

    @Test func fromAnArbitrarySwiftErrorIsCirrusInternal() {
        let error = RemoteError(from: DiskFull.onVolume("vol-1"))
        #expect(error.className == "DiskFull")
        #expect(error.module == "cirrus.internal")
        #expect(error.message.contains("vol-1"))
        #expect(error.traceback.first?.contains("DiskFull") == true)
    }

    @Test func convertedErrorsSurviveTheWire() {
        let sent = RemoteError(from: NoValidHost(remoteMessage: "none left"))
        let received = RemoteError(failureJSON: sent.failureJSON)
        #expect(received == sent)
        let rebuilt = NoValidHost(remoteMessage: received.message, kwargs: received.kwargs)
        #expect(rebuilt.remoteMessage == "none left")
    }

    @Test func dispatchErrorsHaveOsloNames() {
        #expect(UnsupportedVersion.remoteClassName == "UnsupportedVersion")
        #expect(UnsupportedVersion.remoteModule == "oslo_messaging.rpc.dispatcher")
        #expect(NoSuchMethod.remoteClassName == "NoSuchMethod")
        #expect(NoSuchMethod.remoteModule == "oslo_messaging.rpc.dispatcher")
        #expect(InvalidArguments.remoteClassName == "InvalidArguments")
        #expect(InvalidArguments.remoteModule == "cirrus.exception")
    }
}
