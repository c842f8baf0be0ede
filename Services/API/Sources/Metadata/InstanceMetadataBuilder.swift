import Foundation
import Schemas

/// Builds the ``InstanceMetadata`` document of an instance from its records. Pure.
public enum InstanceMetadataBuilder {
    /// Everything the document is made of, as loaded from the database.
    public struct Inputs: Sendable {
        public var instance: InstanceRecord
        public var imageInternalID: Int
        public var password: String?
        public var interfaces: [InstanceInterface]
        public var revision: Int

        public init(instance: InstanceRecord, imageInternalID: Int, password: String?, interfaces: [InstanceInterface], revision: Int) {
            self.instance = instance
            self.imageInternalID = imageInternalID
            self.password = password
            self.interfaces = interfaces
            self.revision = revision
        }
    }

    public static func build(_ inputs: Inputs) -> InstanceMetadata {
        let i = inputs.instance
        func property(_ key: String) -> String? { i.image.properties[key].flatMap { $0.isEmpty ? nil : $0 } }
        return InstanceMetadata(
            uuid: i.uuid, internalID: Int(i.id ?? 0), name: i.name, hostname: i.hostname, projectID: i.projectID, userID: i.userID,
            availabilityZone: i.availabilityZone ?? "nova", launchIndex: i.launchIndex,
            reservationID: reservationID(createRequestID: i.createRequestID), keyName: i.keyName, keyData: i.keyData,
            userData: i.userData, metadata: i.metadata, flavorName: i.flavor.name, imageID: i.image.id,
            imageInternalID: inputs.imageInternalID, kernelID: property("kernel_id"), ramdiskID: property("ramdisk_id"),
            securityGroups: ["default"], createdAt: OpenStackTime.iso(i.createdAt), password: inputs.password,
            interfaces: inputs.interfaces, revision: inputs.revision)
    }

    /// `r-` and 8 characters of `[a-z0-9]`, stable for the create request (Nova gives all
    /// instances of one request the same reservation).
    public static func reservationID(createRequestID: String) -> String {
        let digest = MD5.hex(Array(createRequestID.utf8))
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var value = UInt64(digest.prefix(16), radix: 16) ?? 0
        var out = ""
        for _ in 0..<8 {
            out.append(alphabet[Int(value % 36)])
            value /= 36
        }
        return "r-" + out
    }
}
